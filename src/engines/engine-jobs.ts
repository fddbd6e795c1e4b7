/**
 * The state of jobs handed to remote engines (`engine_jobs`) and the one function that applies
 * what an engine says of a job — a hand-over's answer, a poll's, or a render worker's callback —
 * in the caller's transaction. The job row is locked first; a job no longer running (finished by
 * an earlier report, cancelled, expired) is left alone and nothing is written, so duplicate, late
 * and out-of-order reports change nothing once a job has ended. An end goes through `finishJob`
 * (`jobs/settle.ts`): the hold is settled at the actual price or voided, exactly once. A running
 * report moves the job's next check (`jobs.ready_at_ms`): the next poll, or the moment a silent
 * render worker is given up on.
 */
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { lifecycleOf } from '../jobs/lifecycle.ts';
import { finishJob } from '../jobs/settle.ts';
import type { EngineReport, RenderResult } from './engine.ts';
import type { EngineJobRow } from './engine-jobs.table.ts';

export type ReportOutcome = 'running' | 'completed' | 'failed' | 'ignored';

/** The job if it is still running (locked for the rest of the transaction); else null. */
export async function lockRunningJob(tx: TxContext, job_id: string): Promise<JobRow | null> {
  const query = tx.db.selectFrom('jobs').selectAll().where('id', '=', job_id);
  const job = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (job === undefined || job.status !== lifecycleOf(job.kind).running) return null;
  return job;
}

export function findEngineJob(
  tx: Pick<TxContext, 'db'>,
  job_id: string,
): Promise<EngineJobRow | undefined> {
  return tx.db
    .selectFrom('engine_jobs')
    .selectAll()
    .where('job_id', '=', job_id)
    .executeTakeFirst();
}

/**
 * Applies `report` to the job if it still runs. `failure_after` decides when repeated
 * unreachable calls end the job (`null`: keep retrying with backoff until the next check).
 */
export async function applyEngineReport(
  tx: TxContext,
  request: {
    job_id: string;
    report: EngineReport;
    retry_at_ms: (failures: bigint) => bigint | null;
  },
): Promise<ReportOutcome> {
  const job = await lockRunningJob(tx, request.job_id);
  if (job === null) return 'ignored';
  const state = await findEngineJob(tx, job.id);
  const report = request.report;
  const now_ms = tx.clock.now_ms();
  if (report.state === 'unreachable') {
    const failures = (state?.failures ?? 0n) + 1n;
    const retry_at_ms = request.retry_at_ms(failures);
    if (retry_at_ms === null) {
      return endWith(tx, job, {
        outcome: 'failed',
        failure_code: 'engine_unavailable',
        failure_message: `The render engine could not be reached (${report.reason}); the job was not charged.`,
      });
    }
    await saveEngineJob(tx, job, { failures, updated_at_ms: now_ms });
    await setNextCheck(tx, job, retry_at_ms);
    return 'running';
  }
  const heard = {
    last_heard_at_ms: now_ms,
    started_at_ms: state?.started_at_ms ?? now_ms,
    failures: 0n,
    upstream_status: report.upstream_status ?? state?.upstream_status ?? null,
    updated_at_ms: now_ms,
  };
  if (report.state === 'ended') {
    await saveEngineJob(tx, job, {
      ...heard,
      upstream_cost_micro_usd: report.upstream_cost_micro_usd ?? null,
    });
    return endWith(tx, job, report.result);
  }
  if (report.heard === false) {
    await setNextCheck(tx, job, report.next_check_at_ms);
    return 'running';
  }
  const progress = report.progress ?? null;
  const best = maxOf(state?.progress ?? null, progress === null ? null : BigInt(progress));
  await saveEngineJob(tx, job, {
    ...heard,
    upstream_id: report.upstream_id ?? state?.upstream_id ?? null,
    progress: best,
  });
  await setNextCheck(tx, job, report.next_check_at_ms);
  return 'running';
}

async function endWith(tx: TxContext, job: JobRow, result: RenderResult): Promise<ReportOutcome> {
  const outcome = await finishJob(tx, job, result);
  return outcome === 'already_finished' ? 'ignored' : outcome;
}

function maxOf(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** Moves a running job's next check (conditional on it still running). */
async function setNextCheck(tx: TxContext, job: JobRow, ready_at_ms: bigint): Promise<void> {
  await tx.db
    .updateTable('jobs')
    .set({ ready_at_ms })
    .where('id', '=', job.id)
    .where('status', '=', job.status)
    .execute();
}

type EngineJobUpdate = Partial<Omit<EngineJobRow, 'job_id' | 'engine' | 'created_at_ms'>>;

/** Inserts or updates the job's engine row with `set`. */
async function saveEngineJob(tx: TxContext, job: JobRow, set: EngineJobUpdate): Promise<void> {
  const existing = await findEngineJob(tx, job.id);
  if (existing !== undefined) {
    await tx.db.updateTable('engine_jobs').set(set).where('job_id', '=', job.id).execute();
    return;
  }
  const now_ms = tx.clock.now_ms();
  await tx.db
    .insertInto('engine_jobs')
    .values({
      job_id: job.id,
      engine: job.engine,
      upstream_id: null,
      progress: null,
      started_at_ms: null,
      last_heard_at_ms: null,
      failures: 0n,
      upstream_status: null,
      upstream_cost_micro_usd: null,
      created_at_ms: now_ms,
      updated_at_ms: now_ms,
      ...set,
    })
    .execute();
}

/**
 * Takes the job's due check for this caller: moves `ready_at_ms` from the value read to
 * `lease_until_ms`, so of several workers (nodes) exactly one calls the engine about it.
 */
export async function leaseCheck(
  tx: TxContext,
  request: { job_id: string; status: string; ready_at_ms: bigint; lease_until_ms: bigint },
): Promise<boolean> {
  const result = await tx.db
    .updateTable('jobs')
    .set({ ready_at_ms: request.lease_until_ms })
    .where('id', '=', request.job_id)
    .where('status', '=', request.status)
    .where('ready_at_ms', '=', request.ready_at_ms)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
