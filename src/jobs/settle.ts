/**
 * How a job ends, in the caller's transaction together with its hold: a completed render is
 * charged the ACTUAL price of its output on the rate card version the job was admitted under
 * (an output longer than the estimate is still charged in full: the ledger's overrun), a failed
 * render voids the hold and costs nothing, and so does a hold that expired first. Finishing is
 * guarded by the job's status, and the hold's transfer ids derive from the job id, so finishing
 * a job twice charges it once.
 */
import type { TxContext } from '../context.ts';
import type { RenderResult } from '../engines/engine.ts';
import { price } from '../pricing/price.ts';
import { pricingByRef } from '../pricing/pricing-for.ts';
import { assert } from '../shared/assert.ts';
import { settleHold, voidHold } from '../wallets/holds.ts';
import type { JobRow } from './jobs.table.ts';
import { IN_FLIGHT_STATUSES, type JobStatus } from './jobs.ts';
import { type JobUsage, withDuration } from './quote.ts';

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
  if (!IN_FLIGHT_STATUSES.includes(job.status as JobStatus)) return 'already_finished';
  if (result.outcome === 'failed') {
    await releaseHold(tx, job);
    await markFailed(tx, job.id, result);
    return 'failed';
  }
  const charged = await chargeFor(tx, job, result.duration_ms);
  if (job.test === 0n) {
    const outcome = await settleHold(tx, { hold_id: job.id, amount_micro_usd: charged });
    if (outcome === 'expired') {
      await markFailed(tx, job.id, HOLD_EXPIRED_FAILURE);
      return 'failed';
    }
  }
  await tx.db
    .updateTable('jobs')
    .set({
      status: 'completed',
      duration_ms: result.duration_ms,
      charged_amount_micro_usd: job.test === 0n ? charged : 0n,
      video_url: result.video_url,
      thumbnail_url: result.thumbnail_url,
      gif_url: result.gif_url,
      captioned_video_url: result.captioned_video_url,
      subtitle_url: result.subtitle_url,
      completed_at_ms: tx.clock.now_ms(),
    })
    .where('id', '=', job.id)
    .execute();
  return 'completed';
}

/**
 * The actual price of `duration_ms` of output (billed up to `job_duration_ms_max`), on the card
 * version and rate override the job was admitted under.
 */
export async function chargeFor(tx: TxContext, job: JobRow, duration_ms: bigint): Promise<bigint> {
  const duration_ms_max = tx.config.limits.job_duration_ms_max;
  assert(duration_ms >= 0n, `job ${job.id}: an output duration is never negative`);
  const billedMs = duration_ms < duration_ms_max ? duration_ms : duration_ms_max;
  const usage = JSON.parse(job.usage_json) as JobUsage;
  assert(usage.product === job.product, `job ${job.id}: stored usage matches its product`);
  const ref = { rate_card_version: job.rate_card_version, override_id: job.rate_override_id };
  const { card } = await pricingByRef(tx.db, ref);
  return price(card, withDuration(usage, billedMs)).amount_micro_usd;
}

/** Voids the job's hold (if it has one); an expired hold is released all the same. */
export async function releaseHold(tx: TxContext, job: JobRow): Promise<void> {
  if (job.test === 0n) await voidHold(tx, { hold_id: job.id });
}

export async function markFailed(
  tx: TxContext,
  job_id: string,
  failure: { failure_code: string; failure_message: string },
): Promise<void> {
  await tx.db
    .updateTable('jobs')
    .set({
      status: 'failed',
      charged_amount_micro_usd: 0n,
      failure_code: failure.failure_code,
      failure_message: failure.failure_message,
      completed_at_ms: tx.clock.now_ms(),
    })
    .where('id', '=', job_id)
    .execute();
}
