/**
 * The one way a write route runs: `idempotentWrite(ctx, request, { write, render })`. It runs
 * `write` as a group-commit unit and, when the request holds an `Idempotency-Key`, stores the
 * rendered response under that key in the SAME transaction, then tells the idempotency hook not
 * to store it again. So a write and its replayable response commit together, and a key left
 * `in_flight` (by a crash, a lost connection, a killed process) proves the write never committed:
 * a retry after the lease runs it (`idempotency/idempotency.ts`). If the claim was taken over in
 * the meantime (this attempt outlived its lease), storing fails and the write rolls back, so a
 * key's write commits at most once. Failures (4xx) write nothing and are recorded by the hook.
 *
 * A route that admits one job passes `{ admit: admission, render }` instead of `write`: the
 * admission is batched with the other queued admissions (`jobs/admission/batch.ts`), and the
 * response is stored by its `after` write, in the batch's transaction, with the same guarantees.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext, TxContext } from '../context.ts';
import { completeHeldKeyInWrite } from '../idempotency/idempotency.ts';
import { admitInBatch } from '../jobs/admission/batch.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import type { Admission } from '../jobs/submit.ts';
import { stringifyJson } from '../shared/json.ts';

const SUCCESS_STATUS = 200;

export type WriteRoute<T, Body> = {
  /** The domain call: checks and writes in one transaction. */
  write: (tx: TxContext) => Promise<T>;
  /** The response body of a first, successful run. */
  render: (value: T) => Body;
  /**
   * What a replay under the same key returns, when it must differ from the first response: a
   * secret is shown once and never stored. Defaults to `render`.
   */
  renderReplay?: (value: T) => unknown;
  /**
   * For a write whose effect must commit although its answer is an error (a synchronous render
   * that failed: its hold's release must commit): the error to throw after the commit. Nothing
   * is stored with the write; the idempotency hook records the error as it records any 4xx.
   */
  failure?: (value: T) => Error | null;
};

/** A route that admits one job: batched admission, the response stored with it. */
export type AdmitRoute<Body> = {
  admit: Admission;
  render: (job: JobRow) => Body;
  renderReplay?: (job: JobRow) => unknown;
};

/** Runs a write route's domain call and stores its response with it; returns the body to send. */
export async function idempotentWrite<Body>(
  ctx: AppContext,
  request: FastifyRequest,
  route: AdmitRoute<Body>,
): Promise<Body>;
export async function idempotentWrite<T, Body>(
  ctx: AppContext,
  request: FastifyRequest,
  route: WriteRoute<T, Body>,
): Promise<Body>;
export async function idempotentWrite<T, Body>(
  ctx: AppContext,
  request: FastifyRequest,
  route: WriteRoute<T, Body> | AdmitRoute<Body>,
): Promise<Body> {
  if ('admit' in route) return admitWithResponse(ctx, request, route);
  const held = request.idempotency_key;
  // A customer's write runs in its account's commit lane; an operator's in the first lane.
  const principal = request.principal;
  const lane =
    principal?.kind === 'api_key' || principal?.kind === 'oauth'
      ? { account_id: principal.account_id }
      : {};
  const outcome = await ctx.committer.run(async (tx) => {
    const value = await route.write(tx);
    const failure = route.failure?.(value) ?? null;
    if (failure !== null) return { failure };
    const rendered = route.render(value);
    if (held !== null) {
      const stored = route.renderReplay === undefined ? rendered : route.renderReplay(value);
      await completeHeldKeyInWrite(tx, {
        ...held,
        response_status: SUCCESS_STATUS,
        response_body: stringifyJson(stored),
      });
    }
    return { rendered };
  }, lane);
  if ('failure' in outcome) throw outcome.failure;
  // Committed with its response: the hook must not record this response a second time.
  if (held !== null) request.idempotency_key = null;
  return outcome.rendered;
}

async function admitWithResponse<Body>(
  ctx: AppContext,
  request: FastifyRequest,
  route: AdmitRoute<Body>,
): Promise<Body> {
  const held = request.idempotency_key;
  const job = await admitInBatch(ctx, route.admit, {
    after:
      held === null
        ? undefined
        : (tx, admitted) => {
            const stored = (route.renderReplay ?? route.render)(admitted);
            return completeHeldKeyInWrite(tx, {
              ...held,
              response_status: SUCCESS_STATUS,
              response_body: stringifyJson(stored),
            });
          },
  });
  // Committed with its response: the hook must not record this response a second time.
  if (held !== null) request.idempotency_key = null;
  return route.render(job);
}
