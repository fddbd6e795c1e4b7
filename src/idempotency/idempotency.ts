/**
 * Idempotency keys: a client-chosen key makes a retried write return the first attempt's stored
 * response instead of running again. A key lives in a scope (who calls, and which method, route
 * and path parameters) for `idempotency_ttl_ms`. The first request claims it with an
 * insert-if-absent, so of two concurrent first requests exactly one runs; the other sees
 * `request_in_progress`. The same key with a different request is `idempotency_key_reused`.
 *
 * A claim is held by one owner (a gateway node and a claim token) under a lease of
 * `idempotency_lease_ms`. A retry of the same request after the lease has ended takes the key
 * over with a conditional update, so of several concurrent retries exactly one does. The old
 * claim is then dead: `completeIdempotencyKey` stores a response only for the claim that still
 * holds the key, so a write that stores its response in its own transaction commits at most once
 * per key even if its first owner was merely slow. This module knows nothing of HTTP: a
 * response is a status and a body string.
 */
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { BaseContext, TxContext } from '../context.ts';
import type { IdempotencyKeyTable } from '../jobs/jobs.table.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { canonicalJson } from '../shared/json.ts';
import type { IdempotencyErrorCode } from './errors.ts';

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,255}$/;
/** A claim retries once when the key it found vanished (the first request was released). */
const CLAIM_ATTEMPTS_MAX = 2;
/** Expired keys deleted per purge call. */
const PURGE_BATCH_SIZE_MAX = 500;

type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;

/** A key in its scope. */
export type IdempotencyKeyRef = { scope: string; key: string };
/** A key as held by one claim: only this claim may store or release it. */
export type HeldIdempotencyKey = IdempotencyKeyRef & { claim_id: string };

export type IdempotencyClaim = IdempotencyKeyRef & {
  request_hash: string;
  /** The gateway node (process) claiming the key, recorded for operators. */
  owner_node_id: string;
};

export type ClaimOutcome =
  | { outcome: 'claimed'; held: HeldIdempotencyKey; taken_over: boolean }
  | { outcome: 'replay'; response_status: number; response_body: string };

/** SHA-256 (hex) of the request body's canonical JSON: key order does not matter. */
export function hashRequest(body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');
}

/**
 * Claims `key` in `scope` for a request, or answers with what the first request stored.
 * `claimed`: the caller runs the request and then calls `completeIdempotencyKey` or
 * `releaseIdempotencyKey` with `held`. `replay`: the stored response. Throws
 * `idempotency_key_reused` when the key was used for a different request, `request_in_progress`
 * while the first one runs within its lease. A key whose TTL has passed is taken over as if new;
 * a key of the same request still in flight after its lease is taken over (`taken_over`). Each
 * statement commits on its own.
 */
export async function claimIdempotencyKey(
  ctx: BaseContext,
  claim: IdempotencyClaim,
): Promise<ClaimOutcome> {
  assert(IDEMPOTENCY_KEY_PATTERN.test(claim.key), 'idempotency key is validated by the caller');
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS_MAX; attempt++) {
    const claimed = await insertOrTakeOver(ctx, claim);
    if (claimed !== null) return { outcome: 'claimed', ...claimed };
    const row = await ctx.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', claim.scope)
      .where('key', '=', claim.key)
      .executeTakeFirst();
    // Undefined: the first request was released (it failed) after our insert; claim again.
    if (row !== undefined) return storedOutcome(row, claim);
  }
  throw idempotencyError(
    'request_in_progress',
    'A request with this Idempotency-Key is being retried concurrently. Retry later.',
  );
}

/** The held key when this call now holds it: inserted it, or took over an expired claim. */
async function insertOrTakeOver(
  ctx: BaseContext,
  claim: IdempotencyClaim,
): Promise<{ held: HeldIdempotencyKey; taken_over: boolean } | null> {
  const now_ms = ctx.clock.now_ms();
  const claim_id = ctx.ids.newId('claim');
  const fresh = {
    request_hash: claim.request_hash,
    state: 'in_flight',
    response_status: null,
    response_body: null,
    created_at_ms: now_ms,
    expires_at_ms: now_ms + ctx.config.limits.idempotency_ttl_ms,
    owner_node_id: claim.owner_node_id,
    claim_id,
    lease_expires_at_ms: now_ms + ctx.config.limits.idempotency_lease_ms,
  };
  const held = { scope: claim.scope, key: claim.key, claim_id };
  const inserted = await ctx.db
    .insertInto('idempotency_keys')
    .values({ scope: claim.scope, key: claim.key, ...fresh })
    .onConflict((conflict) => conflict.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 1n) return { held, taken_over: false };
  // One conditional update, so of several concurrent retries only one takes the key: a key past
  // its TTL (any request), or the same request still in flight after its lease (owner gone).
  const takenOver = await ctx.db
    .updateTable('idempotency_keys')
    .set(fresh)
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .where((eb) =>
      eb.or([
        eb('expires_at_ms', '<=', now_ms),
        eb.and([
          eb('state', '=', 'in_flight'),
          eb('request_hash', '=', claim.request_hash),
          eb.or([
            eb('lease_expires_at_ms', '<=', now_ms),
            // Claimed before leases were recorded: its lease is counted from its creation.
            eb.and([
              eb('lease_expires_at_ms', 'is', null),
              eb('created_at_ms', '<=', now_ms - ctx.config.limits.idempotency_lease_ms),
            ]),
          ]),
        ]),
      ]),
    )
    .executeTakeFirst();
  return takenOver.numUpdatedRows === 1n ? { held, taken_over: true } : null;
}

function storedOutcome(row: IdempotencyKeyRow, claim: IdempotencyClaim): ClaimOutcome {
  if (row.request_hash !== claim.request_hash) {
    throw idempotencyError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
    );
  }
  if (row.state === 'in_flight') {
    throw idempotencyError(
      'request_in_progress',
      'A request with this Idempotency-Key is still in progress. Retry after it completes.',
    );
  }
  assert(row.state === 'done', `idempotency key state ${row.state} is unknown`);
  assert(row.response_status !== null && row.response_body !== null, 'a done key has a response');
  return {
    outcome: 'replay',
    response_status: Number(row.response_status),
    response_body: row.response_body,
  };
}

function idempotencyError(code: IdempotencyErrorCode, message: string) {
  return new DomainError<IdempotencyErrorCode>(code, message, { param: 'Idempotency-Key' });
}

/**
 * Stores the response of a held key; later claims with the same request replay it. Returns false
 * when the claim no longer holds the key (a retry took it over after the lease): the caller must
 * then not commit the request's effects. Run it in the write's own transaction.
 */
export async function completeIdempotencyKey(
  ctx: BaseContext,
  input: HeldIdempotencyKey & { response_status: number; response_body: string },
): Promise<boolean> {
  const result = await ctx.db
    .updateTable('idempotency_keys')
    .set({
      state: 'done',
      response_status: BigInt(input.response_status),
      response_body: input.response_body,
      lease_expires_at_ms: null,
    })
    .where('scope', '=', input.scope)
    .where('key', '=', input.key)
    .where('claim_id', '=', input.claim_id)
    .where('state', '=', 'in_flight')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * `completeIdempotencyKey` for a write that stores its response in its own transaction: throws
 * `request_in_progress` when the claim was taken over, so the write rolls back and only the
 * retry that took the key over can commit.
 */
export async function completeHeldKeyInWrite(
  tx: TxContext,
  input: HeldIdempotencyKey & { response_status: number; response_body: string },
): Promise<void> {
  if (await completeIdempotencyKey(tx, input)) return;
  throw idempotencyError(
    'request_in_progress',
    'This request outlived its Idempotency-Key lease and a retry took the key over; nothing of ' +
      'this attempt was committed. Retry to learn the outcome.',
  );
}

/**
 * Forgets a held key whose request should not be replayed, so a retry runs again. A no-op when
 * the claim no longer holds the key.
 */
export async function releaseIdempotencyKey(
  ctx: BaseContext,
  input: HeldIdempotencyKey,
): Promise<void> {
  await ctx.db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', input.scope)
    .where('key', '=', input.key)
    .where('claim_id', '=', input.claim_id)
    .where('state', '=', 'in_flight')
    .execute();
}

/** Deletes up to `PURGE_BATCH_SIZE_MAX` expired keys; returns how many. Bounded per call. */
export async function purgeExpiredIdempotencyKeys(ctx: BaseContext): Promise<number> {
  const now_ms = ctx.clock.now_ms();
  const expired = await ctx.db
    .selectFrom('idempotency_keys')
    .select(['scope', 'key'])
    .where('expires_at_ms', '<=', now_ms)
    .limit(PURGE_BATCH_SIZE_MAX)
    .execute();
  if (expired.length === 0) return 0;
  const result = await ctx.db
    .deleteFrom('idempotency_keys')
    .where('expires_at_ms', '<=', now_ms)
    .where((eb) =>
      eb.or(expired.map((row) => eb.and([eb('scope', '=', row.scope), eb('key', '=', row.key)]))),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
