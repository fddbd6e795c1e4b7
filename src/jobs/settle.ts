/**
 * How a job of any product ends, in the caller's transaction together with its hold: a
 * completed render is charged the ACTUAL price of its output on the rate card version the job
 * was admitted under (an output longer than the estimate is still charged in full: the ledger's
 * overrun), a failed render voids the hold and costs nothing, and so does a hold that expired
 * first. The hold's transfer ids derive from the job id, so its money moves at most once; the
 * status moves through `transitionJob`, conditional on the status the caller read, so finishing
 * a job twice (a stale copy, a second node) records it once and charges it once. A settlement
 * then checks the wallet's thresholds (`alerts/balance-watch.ts`): an overrun can cross one.
 * Every end records its outcome event in the same transaction (`webhooks/job-events.ts`); a
 * caller holding the whole locked row (`finishJob`) passes it on as it stands after the end, so
 * the event is built without reading the job again.
 */
import { type HoldPrefetch, releaseOnPool, settleOnPool } from '../billing/pool-ops.ts';
import type { TxContext } from '../context.ts';
import type { RenderFailure, RenderResult } from '../engines/engine.ts';
import { productOf } from '../products/registry.ts';
import { recordJobOutcome } from '../webhooks/job-events.ts';
import type { JobRow } from './jobs.table.ts';
import { isInFlight, type JobUpdate, jobState, lifecycleOf, transitionJob } from './lifecycle.ts';
import { chargeFor } from './quote.ts';

export const HOLD_EXPIRED_FAILURE = {
  failure_code: 'hold_expired',
  failure_message:
    'The job did not finish before its hold expired; it was not charged. Submit it again.',
} as const;

export type FinishOutcome = 'completed' | 'failed' | 'already_finished';

/**
 * Records `result` for `job` and settles or voids its hold. The caller has locked the job row;
 * a job that is no longer in flight is left alone (`already_finished`). `prefetch`: what the
 * caller read of the hold already (the worker reads a whole tick's hold parts at once).
 */
export async function finishJob(
  tx: TxContext,
  job: JobRow,
  result: RenderResult,
  prefetch: HoldPrefetch = {},
): Promise<FinishOutcome> {
  if (!isInFlight(job.kind, job.status)) return 'already_finished';
  if (result.outcome === 'failed') {
    await releaseHold(tx, job, prefetch);
    return (await failLockedJob(tx, job, result)) ? 'failed' : 'already_finished';
  }
  const { outcome: _outcome, duration_ms, ...outputs } = result;
  const charged = await chargeFor(tx, job, duration_ms);
  if (job.test === 0n) {
    const outcome = await settleOnPool(
      tx,
      job,
      { charged_micro_usd: charged, duration_ms },
      prefetch,
    );
    if (outcome === 'expired') {
      return (await failLockedJob(tx, job, HOLD_EXPIRED_FAILURE)) ? 'failed' : 'already_finished';
    }
  }
  const set = {
    ...outputs,
    duration_ms,
    charged_amount_micro_usd: job.test === 0n ? charged : 0n,
  };
  const applied = await endJobWith(tx, job, 'completed', set, job);
  return applied ? 'completed' : 'already_finished';
}

/** Releases the job's hold (if it has one) on its pool; an expired hold is released all the same. */
export async function releaseHold(
  tx: TxContext,
  job: JobRow,
  prefetch: HoldPrefetch = {},
): Promise<void> {
  if (job.test === 0n) await releaseOnPool(tx, job, prefetch);
}

/** Moves an in-flight job to its kind's `failed`, charged 0; false if it was no longer there. */
export function failJob(
  tx: TxContext,
  job: Pick<JobRow, 'id' | 'kind' | 'status'>,
  failure: Omit<RenderFailure, 'outcome'>,
): Promise<boolean> {
  return endJobWith(tx, job, 'failed', failureUpdate(failure), null);
}

/** `failJob` of a whole row the caller has locked: the outcome event is built from it. */
function failLockedJob(
  tx: TxContext,
  job: JobRow,
  failure: Omit<RenderFailure, 'outcome'>,
): Promise<boolean> {
  return endJobWith(tx, job, 'failed', failureUpdate(failure), job);
}

function failureUpdate(failure: Omit<RenderFailure, 'outcome'>): JobUpdate {
  return {
    charged_amount_micro_usd: 0n,
    failure_code: failure.failure_code,
    failure_message: failure.failure_message,
  };
}

/**
 * Moves an in-flight job to its kind's final status of `role`, stamping `completed_at_ms`; its
 * product's `onJobEvent` follows in the same transaction.
 */
export function endJob(
  tx: TxContext,
  job: Pick<JobRow, 'id' | 'kind' | 'status'>,
  role: 'completed' | 'failed' | 'cancelled',
  set: JobUpdate,
): Promise<boolean> {
  return endJobWith(tx, job, role, set, null);
}

/**
 * `endJob`; `locked` is the job's whole row as the caller read it under its lock (or null): the
 * row the transition writes is then that row with `set` applied, and the outcome event is built
 * from it instead of read back. Sound because the caller read the row in this transaction under
 * the row's lock (`FOR UPDATE`, or SQLite's write lock), so nobody else wrote it since, and the
 * transition applies only if the status is still the one read.
 */
async function endJobWith(
  tx: TxContext,
  job: Pick<JobRow, 'id' | 'kind' | 'status'>,
  role: 'completed' | 'failed' | 'cancelled',
  set: JobUpdate,
  locked: JobRow | null,
): Promise<boolean> {
  const { kind, status } = jobState(job);
  const to = lifecycleOf(kind)[role];
  const written = { ...set, completed_at_ms: tx.clock.now_ms() };
  const applied = await transitionJob(tx, {
    kind,
    job_id: job.id,
    from: status,
    to,
    set: written,
  });
  if (!applied) return false;
  await productOf(kind).onJobEvent?.(tx, { job_id: job.id, role });
  // The outcome event (and callback delivery) commits with the job's end, or not at all.
  const ended = locked === null ? null : withUpdate(locked, { ...written, status: to });
  await recordJobOutcome(tx, { job_id: job.id, role, job: ended });
  return true;
}

/** `row` as the database holds it after `update` (Kysely skips columns set to `undefined`). */
function withUpdate(row: JobRow, update: JobUpdate & { status: string }): JobRow {
  const next: Record<string, unknown> = { ...row };
  for (const [column, value] of Object.entries(update)) {
    if (value !== undefined) next[column] = value;
  }
  return next as JobRow;
}
