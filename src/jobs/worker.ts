/**
 * The job worker. Each tick, bounded by `job_worker_batch_size` and `expire_batch_size`:
 * 1. expires due holds and fails their jobs (`expire-holds.ts`);
 * 2. claims pending jobs (pending → processing, due after the engine's latency);
 * 3. finishes processing jobs that are due: each in one transaction that locks the job, asks the
 *    engine for the result and settles or voids the hold (`settle.ts`).
 * Claims and finishes lock rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several gateway
 * nodes never move the same job twice. All state is in the database: after a restart the next
 * tick picks up where the last one stopped.
 */
import type { AppContext, TxContext } from '../context.ts';
import { withTransaction } from '../context.ts';
import { lockRowsSkipLocked } from '../db/dialect.ts';
import { engineByName } from '../engines/engines.ts';
import { expireJobHolds } from './expire-holds.ts';
import { finishJob } from './settle.ts';
import type { CreateVideoInput } from './video-input.ts';

/** Pause between ticks that found nothing to do. */
export const WORKER_IDLE_INTERVAL_MS = 250;

/** Runs one bounded pass of the job worker; returns how many jobs it moved. */
export async function runJobWorkerTick(ctx: AppContext): Promise<number> {
  const limits = ctx.config.limits;
  const failed = await withTransaction(ctx, (tx) =>
    expireJobHolds(tx, { limit: limits.expire_batch_size }),
  );
  const claimed = await withTransaction(ctx, (tx) =>
    claimPendingJobs(tx, { limit: limits.job_worker_batch_size }),
  );
  const finished = await finishDueJobs(ctx, { limit: limits.job_worker_batch_size });
  return failed + claimed + finished;
}

/** pending → processing for the oldest pending jobs; returns how many it claimed. */
export async function claimPendingJobs(tx: TxContext, options: { limit: number }): Promise<number> {
  const query = tx.db
    .selectFrom('jobs')
    .select(['id', 'engine'])
    .where('status', '=', 'pending')
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(options.limit);
  const jobs = await lockRowsSkipLocked(tx.dialect, query).execute();
  const now_ms = tx.clock.now_ms();
  for (const job of jobs) {
    const ready_at_ms = now_ms + engineByName(job.engine).latency_ms(tx.config);
    await tx.db
      .updateTable('jobs')
      .set({ status: 'processing', started_at_ms: now_ms, ready_at_ms })
      .where('id', '=', job.id)
      .where('status', '=', 'pending')
      .execute();
  }
  return jobs.length;
}

/**
 * Finishes processing jobs whose result is due, each in its own group-commit unit (so one
 * job's failure rolls back only itself and is retried next tick). Returns how many finished.
 */
async function finishDueJobs(ctx: AppContext, options: { limit: number }): Promise<number> {
  const due = await ctx.db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'processing')
    .where('ready_at_ms', '<=', ctx.clock.now_ms())
    .orderBy('ready_at_ms')
    .limit(options.limit)
    .execute();
  const outcomes = await Promise.allSettled(
    due.map((job) => ctx.committer.run((tx) => finishDueJob(tx, job.id))),
  );
  let finished = 0;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') finished += outcome.value ? 1 : 0;
    else ctx.log.error({ err: outcome.reason, job_id: due[index]!.id }, 'finishing a job failed');
  }
  return finished;
}

/** Locks one due job (skipping it if another node has it) and finishes it; false if skipped. */
export async function finishDueJob(tx: TxContext, job_id: string): Promise<boolean> {
  const query = tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', job_id)
    .where('status', '=', 'processing')
    .where('ready_at_ms', '<=', tx.clock.now_ms());
  const job = await lockRowsSkipLocked(tx.dialect, query).executeTakeFirst();
  if (job === undefined) return false;
  const result = engineByName(job.engine).result({
    job_id: job.id,
    output_format: job.output_format,
    request: JSON.parse(job.request_json) as CreateVideoInput,
  });
  return (await finishJob(tx, job, result)) !== 'already_finished';
}

/** Starts the periodic job worker; `stop()` waits for the current tick. Stop it before closing. */
export function startJobWorker(ctx: AppContext): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  const loop = () => {
    timer = null;
    current = runJobWorkerTick(ctx)
      .then(
        (moved) => moved,
        (err: unknown) => {
          ctx.log.error({ err }, 'job worker tick failed');
          return 0;
        },
      )
      .then((moved) => {
        current = null;
        // Busy: go again at once (each tick is bounded); idle: wait.
        if (!stopped) timer = setTimeout(loop, moved > 0 ? 0 : WORKER_IDLE_INTERVAL_MS);
      });
  };
  timer = setTimeout(loop, 0);
  return {
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await current;
    },
  };
}
