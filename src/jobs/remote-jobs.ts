/**
 * The worker's step for jobs a remote engine renders (a render farm, a HeyGen-compatible
 * upstream). For each running job whose check is due (`ready_at_ms`), bounded per tick:
 * 1. one transaction takes the check (`leaseCheck`: moves `ready_at_ms` past the engine call's
 *    time, conditional on the value read), so of several nodes exactly one calls the engine;
 * 2. outside any transaction, the engine is handed the job (`start`, the first time) or asked
 *    about it (`poll`);
 * 3. one transaction applies the answer (`applyEngineReport`): the job ends (settled or voided
 *    once), or its next check is set. An unreachable engine is retried with exponential backoff
 *    (`engine_poll_interval_ms` doubling up to `engine_poll_interval_ms_max`) and the job fails,
 *    costing nothing, after `engine_start_attempts_max` failed hand-overs or
 *    `engine_poll_failures_max` failed polls in a row.
 */
import type { Limits } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { EngineJob } from '../engines/engine.ts';
import { applyEngineReport, leaseCheck } from '../engines/engine-jobs.ts';
import { REMOTE_ENGINE_NAMES, remoteEngineByName } from '../engines/engines.ts';
import { RUNNING_STATUSES } from './lifecycle.ts';

type DueJob = {
  id: string;
  account_id: string;
  kind: string;
  product: string;
  status: string;
  engine: string;
  output_format: string;
  request_json: string;
  ready_at_ms: bigint | null;
  upstream_id: string | null;
  started_at_ms: bigint | null;
  last_heard_at_ms: bigint | null;
  failures: bigint | null;
};

/** Advances the remote jobs whose check is due; returns how many it moved (ended or checked). */
export async function advanceRemoteJobs(
  ctx: AppContext,
  options: { limit: number },
): Promise<number> {
  const due: DueJob[] = await ctx.db
    .selectFrom('jobs')
    .leftJoin('engine_jobs', 'engine_jobs.job_id', 'jobs.id')
    .select([
      'jobs.id',
      'jobs.account_id',
      'jobs.kind',
      'jobs.product',
      'jobs.status',
      'jobs.engine',
      'jobs.output_format',
      'jobs.request_json',
      'jobs.ready_at_ms',
      'engine_jobs.upstream_id',
      'engine_jobs.started_at_ms',
      'engine_jobs.last_heard_at_ms',
      'engine_jobs.failures',
    ])
    .where('jobs.status', 'in', RUNNING_STATUSES)
    .where('jobs.engine', 'in', REMOTE_ENGINE_NAMES)
    .where('jobs.ready_at_ms', '<=', ctx.clock.now_ms())
    .orderBy('jobs.ready_at_ms')
    .limit(options.limit)
    .execute();
  const outcomes = await Promise.allSettled(due.map((job) => advanceRemoteJob(ctx, job)));
  let moved = 0;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') moved += outcome.value ? 1 : 0;
    else ctx.log.error({ err: outcome.reason, job_id: due[index]!.id }, 'advancing a job failed');
  }
  return moved;
}

async function advanceRemoteJob(ctx: AppContext, job: DueJob): Promise<boolean> {
  const limits = ctx.config.limits;
  const lane = { account_id: job.account_id };
  const now_ms = ctx.clock.now_ms();
  const lease = {
    job_id: job.id,
    status: job.status,
    ready_at_ms: job.ready_at_ms ?? now_ms,
    lease_until_ms: now_ms + 2n * BigInt(limits.engine_request_timeout_ms),
  };
  if (!(await ctx.committer.run((tx) => leaseCheck(tx, lease), lane))) return false;
  const engine = remoteEngineByName(job.engine);
  const engineJob: EngineJob = {
    job_id: job.id,
    kind: job.kind,
    product: job.product,
    output_format: job.output_format,
    request: JSON.parse(job.request_json),
    upstream_id: job.upstream_id,
    failures: job.failures ?? 0n,
    started_at_ms: job.started_at_ms,
    last_heard_at_ms: job.last_heard_at_ms,
  };
  const started = job.started_at_ms !== null;
  const report = started ? await engine.poll(ctx, engineJob) : await engine.start(ctx, engineJob);
  const attemptsMax = BigInt(
    started ? limits.engine_poll_failures_max : limits.engine_start_attempts_max,
  );
  const retry_at_ms = (failures: bigint) =>
    failures >= attemptsMax ? null : ctx.clock.now_ms() + backoffMs(limits, failures);
  const outcome = await ctx.committer.run(
    (tx) => applyEngineReport(tx, { job_id: job.id, report, retry_at_ms }),
    lane,
  );
  return outcome !== 'ignored';
}

/** `engine_poll_interval_ms × 2^(attempt − 1)`, at most `engine_poll_interval_ms_max`. */
export function backoffMs(
  limits: Pick<Limits, 'engine_poll_interval_ms' | 'engine_poll_interval_ms_max'>,
  attempt: bigint,
): bigint {
  const exponent = attempt <= 1n ? 0n : attempt - 1n > 20n ? 20n : attempt - 1n;
  const wait = limits.engine_poll_interval_ms * 2n ** exponent;
  return wait > limits.engine_poll_interval_ms_max ? limits.engine_poll_interval_ms_max : wait;
}
