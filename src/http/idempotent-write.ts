/**
 * Money-moving POSTs record their response under the request's `Idempotency-Key` in the SAME
 * transaction as the write. Without this, a crash after the commit but before the response was
 * stored would leave the key `in_flight`, and a client that gave up on it would retry under a new
 * key and pay twice. With it, the write and its replayable response commit together: a key left
 * `in_flight` by a crash means the write never committed, so a retry under a new key cannot pay
 * twice. Failures (4xx) write no money and are recorded afterwards by the idempotency hook, as
 * for any other route.
 */
import type { FastifyRequest } from 'fastify';
import type { TxContext } from '../context.ts';
import { completeIdempotencyKey } from '../idempotency/idempotency.ts';
import { stringifyJson } from '../shared/json.ts';

const SUCCESS_STATUS = 200;

/**
 * Returns a function to run inside the write's transaction: it renders the response and, when the
 * request holds an idempotency key, stores it there. The key is handed over so the hook does not
 * store it again.
 */
export function respondIdempotently<T, Body>(
  request: FastifyRequest,
  render: (value: T) => Body,
): (tx: TxContext, value: T) => Promise<Body> {
  return async (tx, value) => {
    const body = render(value);
    const held = request.idempotency_key;
    if (held !== null) {
      const response_body = stringifyJson(body);
      await completeIdempotencyKey(tx, { ...held, response_status: SUCCESS_STATUS, response_body });
    }
    return body;
  };
}

/** After the transaction committed: the hook must not record this response a second time. */
export function releaseHeldKey(request: FastifyRequest): void {
  request.idempotency_key = null;
}
