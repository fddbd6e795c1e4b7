/**
 * How a job of any product ends, in the caller's transaction together with its hold: a
 * completed render is charged the ACTUAL price of its output on the rate card version the job
 * was admitted under (an output longer than the estimate is still charged in full: the ledger's
 * overrun), a failed render voids the hold and costs nothing, and so does a hold that expired
 * first. The hold's transfer ids derive from the job id, so its money moves at most once; the
 * status moves through `transitionJob`, conditional on the status the caller read, so finishing
 * a job twice (a stale copy, a second node) records it once and charges it once. A settlement
 * then checks the wallet's thresholds (`alerts/balance-watch.ts`): an overrun can cross one.
 */
import { releaseOnPool, settleOnPool } from '../billing/pool-ops.ts';
import type { TxContext } from '../context.ts';
import type { RenderFailure, RenderResult } from '../engines/engine.ts';
import { productOf } from '../products/registry.ts';
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
 * a job that is no longer in flight is left alone (`already_finished`).
 */
export async function finishJob(
  tx: TxContext,
  job: JobRow,
  result: RenderResult,
): Promise<FinishOutcome> {
  if (!isInFlight(job.kind, job.status)) return 'already_finished';
  if (result.outcome === 'failed') {
    await releaseHold(tx, job);
    return (await failJob(tx, job, result)) ? 'failed' : 'already_finished';
  }
  const { outcome: _outcome, duration_ms, ...outputs } = result;
  const charged = await chargeFor(tx, job, duration_ms);
  if (job.test === 0n) {
    const outcome = await settleOnPool(tx, job, { charged_micro_usd: charged, duration_ms });
    if (outcome === 'expired') {
      return (await failJob(tx, job, HOLD_EXPIRED_FAILURE)) ? 'failed' : 'already_finished';
    }
  }
  const applied = await endJob(tx, job, 'completed', {
    ...outputs,
    duration_ms,
    charged_amount_micro_usd: job.test === 0n ? charged : 0n,
  });
  return applied ? 'completed' : 'already_finished';
}

/** Releases the job's hold (if it has one) on its pool; an expired hold is released all the same. */
export async function releaseHold(tx: TxContext, job: JobRow): Promise<void> {
  if (job.test === 0n) await releaseOnPool(tx, job);
}

/** Moves an in-flight job to its kind's `failed`, charged 0; false if it was no longer there. */
export function failJob(
  tx: TxContext,
  job: Pick<JobRow, 'id' | 'kind' | 'status'>,
  failure: Omit<RenderFailure, 'outcome'>,
): Promise<boolean> {
  return endJob(tx, job, 'failed', {
    charged_amount_micro_usd: 0n,
    failure_code: failure.failure_code,
    failure_message: failure.failure_message,
  });
}

/**
 * Moves an in-flight job to its kind's final status of `role`, stamping `completed_at_ms`; its
 * product's `onJobEvent` follows in the same transaction.
 */
export async function endJob(
  tx: TxContext,
  job: Pick<JobRow, 'id' | 'kind' | 'status'>,
  role: 'completed' | 'failed' | 'cancelled',
  set: JobUpdate,
): Promise<boolean> {
  const { kind, status } = jobState(job);
  const applied = await transitionJob(tx, {
    kind,
    job_id: job.id,
    from: status,
    to: lifecycleOf(kind)[role],
    set: { ...set, completed_at_ms: tx.clock.now_ms() },
  });
  if (applied) await productOf(kind).onJobEvent?.(tx, { job_id: job.id, role });
  return applied;
}
