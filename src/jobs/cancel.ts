/**
 * Deleting a video. Before it ends, deleting cancels the job: its hold is voided (it costs
 * nothing) and its concurrency slot is freed, in one transaction with the job row, which is
 * locked first so the worker cannot finish it at the same time. After it ends, deleting only
 * hides it: the charge of a completed video stands. Either way the video is gone from the
 * customer's API; deleting it again is `job_not_found`.
 */
import type { AppContext, TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { jobError } from './errors.ts';
import { IN_FLIGHT_STATUSES, type JobStatus } from './jobs.ts';
import { releaseHold } from './settle.ts';

export type DeleteOutcome = { id: string; cancelled: boolean };

/** Cancels (if in flight) and hides the account's video, in the next group commit. */
export async function deleteVideo(
  ctx: AppContext,
  request: { account_id: string; job_id: string },
): Promise<DeleteOutcome> {
  return ctx.committer.run((tx) => deleteJob(tx, request));
}

export async function deleteJob(
  tx: TxContext,
  request: { account_id: string; job_id: string },
): Promise<DeleteOutcome> {
  const query = tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', request.job_id)
    .where('account_id', '=', request.account_id)
    .where('deleted_at_ms', 'is', null);
  const job = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (job === undefined) {
    throw jobError('job_not_found', `Video ${request.job_id} not found.`, 'video_id');
  }
  const now_ms = tx.clock.now_ms();
  const cancelled = IN_FLIGHT_STATUSES.includes(job.status as JobStatus);
  if (cancelled) {
    await releaseHold(tx, job);
    await tx.db
      .updateTable('jobs')
      .set({
        status: 'cancelled',
        charged_amount_micro_usd: 0n,
        failure_code: 'cancelled',
        failure_message: 'The video was deleted before it finished; it was not charged.',
        completed_at_ms: now_ms,
        deleted_at_ms: now_ms,
      })
      .where('id', '=', job.id)
      .execute();
  } else {
    await tx.db
      .updateTable('jobs')
      .set({ deleted_at_ms: now_ms })
      .where('id', '=', job.id)
      .execute();
  }
  return { id: job.id, cancelled };
}
