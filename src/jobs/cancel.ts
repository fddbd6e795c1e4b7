/**
 * Deleting a job of any product. Before it ends, deleting cancels the job (its kind's
 * `cancelled`): its hold is voided (it costs nothing) and its concurrency slot is freed, in one
 * transaction with the job row, which is locked first so the worker cannot finish it at the same
 * time. After it ends, deleting only hides it: the charge of a completed job stands. Either way
 * the job is gone from the customer's API; deleting it again is `job_not_found`.
 */
import type { AppContext, TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { productOf } from '../products/registry.ts';
import { jobNotFound } from './jobs.ts';
import { isInFlight } from './lifecycle.ts';
import { endJob, releaseHold } from './settle.ts';

export type DeleteOutcome = { id: string; cancelled: boolean };
export type JobRef = { account_id: string; kind: string; job_id: string };

/** Cancels (if in flight) and hides the account's job, in the next group commit. */
export async function deleteJob(ctx: AppContext, request: JobRef): Promise<DeleteOutcome> {
  return ctx.committer.run((tx) => deleteJobIn(tx, request), {
    account_id: request.account_id,
  });
}

/** Cancels and hides the account's video, in the next group commit. */
export function deleteVideo(
  ctx: AppContext,
  request: { account_id: string; job_id: string },
): Promise<DeleteOutcome> {
  return deleteJob(ctx, { ...request, kind: 'video' });
}

export async function deleteJobIn(tx: TxContext, request: JobRef): Promise<DeleteOutcome> {
  const query = tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', request.job_id)
    .where('account_id', '=', request.account_id)
    .where('kind', '=', request.kind)
    .where('deleted_at_ms', 'is', null);
  const job = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (job === undefined) throw jobNotFound(request.kind, request.job_id);
  const now_ms = tx.clock.now_ms();
  const noun = productOf(job.kind).noun.toLowerCase();
  const cancelled =
    isInFlight(job.kind, job.status) &&
    (await endJob(tx, job, 'cancelled', {
      charged_amount_micro_usd: 0n,
      failure_code: 'cancelled',
      failure_message: `The ${noun} was deleted before it finished; it was not charged.`,
      deleted_at_ms: now_ms,
    }));
  if (cancelled) {
    await releaseHold(tx, job);
  } else {
    await tx.db
      .updateTable('jobs')
      .set({ deleted_at_ms: now_ms })
      .where('id', '=', job.id)
      .execute();
  }
  return { id: job.id, cancelled };
}
