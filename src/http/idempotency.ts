/**
 * `Idempotency-Key` on every POST of the scope it is registered in (customer and operator). A
 * preHandler claims the key after authentication and validation; an onSend hook stores the
 * response the client gets (already serialized to a string by the reply serializer), unless the
 * route stored it in its own transaction (`idempotent-write.ts`, every write route). The scope
 * of a key is the principal (account id or `operator`), the method, the route PATTERN and the
 * decoded path parameters as canonical JSON, never the raw URL: `/v3/vide%6fs` and `/v3/videos`
 * are one scope, so are an account id with and without a percent-encoded letter (HeyGen §1.4).
 *
 * What is stored, and why:
 * - 2xx and most 4xx are stored and replayed verbatim for `idempotency_ttl_ms` (as Stripe does):
 *   the request ran to a decision, and a retry must not decide differently (a grant refused for
 *   an unknown account stays refused under the same key).
 * - 409 and 429 are not stored: they say "not now" (a conflicting or concurrent request, a full
 *   concurrency slot), the request did not run, and a retry with the same key should run.
 * - 5xx are not stored: the key is released so a retry can run. Domain writes are transactional,
 *   so a 5xx has written nothing.
 * - 400 schema errors are raised before the preHandler and never claim a key.
 * A key stays claimed by this server (its node id, generated when the hooks are registered) for
 * `idempotency_lease_ms`. A process that dies mid-request leaves the key `in_flight`; a retry of
 * the same request after the lease takes it over and runs. That is safe because every write
 * stores its response in its own transaction: an `in_flight` key means nothing committed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type HeldIdempotencyKey,
  hashRequest,
  IDEMPOTENCY_KEY_PATTERN,
  releaseIdempotencyKey,
} from '../idempotency/idempotency.ts';
import { assert } from '../shared/assert.ts';
import { canonicalJson } from '../shared/json.ts';
import { httpError } from './errors.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** Statuses below 500 that mean "the request did not run; retry it", never stored. */
const NOT_STORED_STATUSES = new Set([409, 429]);

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key this request holds until its response is stored or released. */
    idempotency_key: HeldIdempotencyKey | null;
    /** Whether this request claimed a key (counted in the in-flight metric until it ends). */
    idempotency_claimed: boolean;
  }
}

function keyOf(request: FastifyRequest): string | null {
  const value = request.headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw httpError(
      'invalid_parameter',
      'Idempotency-Key must be 1–255 characters from [A-Za-z0-9_:.-]; a UUID is a safe default.',
      { param: 'Idempotency-Key' },
    );
  }
  return value;
}

/**
 * Who, method, route pattern and decoded path parameters: what the request addresses, however
 * its URL was spelled (percent-encoding, query string).
 */
export function scopeOf(request: FastifyRequest): string {
  const principal = request.principal;
  assert(principal !== null, 'idempotency runs behind an authentication hook');
  const who = principal.kind === 'operator' ? 'operator' : principal.account_id;
  const route = request.routeOptions.url;
  assert(route !== undefined, 'idempotency runs on a matched route');
  return `${who} ${request.method} ${route} ${canonicalJson(request.params ?? {})}`;
}

/**
 * `tracker.keys_in_flight` counts the keys this server holds claimed (a metric): one more on a
 * claim, one less when the response is stored or the key released.
 */
export function registerIdempotency(
  app: FastifyInstance,
  ctx: AppContext,
  tracker: { keys_in_flight: number } = { keys_in_flight: 0 },
): void {
  app.decorateRequest('idempotency_key', null);
  app.decorateRequest('idempotency_claimed', false);
  // Whoever finishes the key (this hook's onSend, or a write that stored its response in its own
  // transaction), the request is over once its response is.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.idempotency_claimed) tracker.keys_in_flight--;
    done();
  });
  const owner_node_id = ctx.ids.newId('node');
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const key = keyOf(request);
    if (key === null) return;
    const claim = await claimIdempotencyKey(ctx, {
      scope: scopeOf(request),
      key,
      request_hash: hashRequest(request.body),
      owner_node_id,
    });
    if (claim.outcome === 'claimed') {
      if (claim.taken_over) request.log.warn({ key }, 'idempotency: took over an expired lease');
      request.idempotency_key = claim.held;
      request.idempotency_claimed = true;
      tracker.keys_in_flight++;
      return;
    }
    return reply
      .code(claim.response_status)
      .header(REPLAYED_HEADER, 'true')
      .type('application/json; charset=utf-8')
      .send(claim.response_body);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const held = request.idempotency_key;
    if (held === null) return payload;
    request.idempotency_key = null;
    await finishKey(ctx, { held, reply, payload });
    return payload;
  });
}

/**
 * Stores or releases the held key. A failure here is logged, not thrown: the client still gets
 * the real response, and the key stays `in_flight` (a retry gets 409) until its lease ends.
 */
async function finishKey(
  ctx: AppContext,
  finished: { held: HeldIdempotencyKey; reply: FastifyReply; payload: unknown },
): Promise<void> {
  const { held, reply, payload } = finished;
  const status = reply.statusCode;
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload : null;
  try {
    if (status >= 500 || NOT_STORED_STATUSES.has(status) || body === null) {
      if (body === null) reply.log.warn({ status }, 'idempotency: response body not storable');
      await releaseIdempotencyKey(ctx, held);
      return;
    }
    await completeIdempotencyKey(ctx, {
      ...held,
      response_status: status,
      response_body: body.toString(),
    });
  } catch (err) {
    reply.log.error({ err, scope: held.scope }, 'idempotency: could not record the response');
  }
}
