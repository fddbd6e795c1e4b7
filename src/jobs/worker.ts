/**
 * The job worker, for every product. Each tick, bounded by `job_worker_batch_size` and
 * `expire_batch_size`:
 * 1. expires due holds and fails their jobs (`expire-holds.ts`);
 * 2. claims admitted jobs (its kind's `admitted` → `running`, due after the engine's latency),
 *    those of one kind and engine in one statement;
 * 3. finishes running jobs that are due: for a computed engine (the simulator), it reads the
 *    wallet hold parts of all of them in one statement, then finishes each in its own unit that
 *    locks the job, asks the engine for the result through its product's call and settles or
 *    voids the hold (`settle.ts`); a remote engine's due jobs are handed over or polled outside
 *    any transaction, each answer applied in its own (`remote-jobs.ts`). Every status write is
 *    conditional on the status read (`transitionJob`, `transitionJobs`);
 * 4. runs each product's own periodic step, if it has one (`Product.sweep`);
 * 5. expires the free part of grants past their expiry (`wallets/grant-expiry.ts`);
 * 6. resets web plans' premium-credit cycles that are due (`plans/cycle-reset.ts`).
 * Claims and finishes lock rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several gateway
 * nodes never move the same job twice. All state is in the database: after a restart the next
 * tick picks up where the last one stopped.
 */

import { watchBalance } from '../alerts/balance-watch.ts';
import type { HoldPrefetch } from '../billing/pool-ops.ts';
import type { AppContext, TxContext } from '../context.ts';
import { withTransaction } from '../context.ts';
import { lockRowsSkipLocked } from '../db/dialect.ts';
import { prepareQuery } from '../db/prepared.ts';
import { COMPUTED_ENGINE_NAMES, computedEngineByName, engineByName } from '../engines/engines.ts';
import { resetDueCycles } from '../plans/cycle-reset.ts';
import { productOf, sweepProducts } from '../products/registry.ts';
import { startTickLoop } from '../shared/tick-loop.ts';
import { expireGrants } from '../wallets/grant-expiry.ts';
import { readHeldParts } from '../wallets/holds.ts';
import { expireJobHolds } from './expire-holds.ts';
import {
  ADMITTED_STATUSES,
  type JobKind,
  jobState,
  lifecycleOf,
  RUNNING_STATUSES,
  transitionJobs,
} from './lifecycle.ts';
import { advanceRemoteJobs } from './remote-jobs.ts';
import { finishJob } from './settle.ts';
import {
  createWorkerHeartbeat,
  recordTickEnded,
  recordTickStarted,
  type WorkerHeartbeat,
} from './worker-heartbeat.ts';

/** Pause between ticks that found nothing to do. */
export const WORKER_IDLE_INTERVAL_MS = 250;
/** A tick running longer than this (beyond ten idle intervals) makes the worker stuck: not ready. */
export const WORKER_TICK_DURATION_MS_MAX = 60_000;

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
  const advanced = await advanceRemoteJobs(ctx, { limit: limits.job_worker_batch_size });
  const swept = await withTransaction(ctx, (tx) =>
    sweepProducts(tx, { limit: limits.job_worker_batch_size }),
  );
  const grantsExpired = await withTransaction(ctx, async (tx) => {
    const expired = await expireGrants(tx, { limit: limits.expire_batch_size });
    // An expiry lowers the available balance: the wallet's low-balance alert and auto-reload
    // see it in the same transaction, as they see a hold or a settlement.
    for (const grant of expired) {
      await watchBalance(tx, {
        account_id: grant.account_id,
        spent_micro_usd: grant.amount_micro_usd,
      });
    }
    return expired;
  });
  const creditCycles = await withTransaction(ctx, (tx) =>
    resetDueCycles(tx, { limit: limits.expire_batch_size }),
  );
  return failed + claimed + finished + advanced + swept + grantsExpired.length + creditCycles;
}

/**
 * admitted → running for the oldest admitted jobs; returns how many it claimed. The jobs of one
 * kind and engine move in one statement (`transitionJobs`); then each claimed job's product
 * hears of it, in the order the jobs were selected.
 */
export async function claimPendingJobs(tx: TxContext, options: { limit: number }): Promise<number> {
  const query = tx.db
    .selectFrom('jobs')
    .select(['id', 'kind', 'status', 'engine'])
    .where('status', 'in', ADMITTED_STATUSES)
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(options.limit);
  const jobs = await lockRowsSkipLocked(tx.dialect, query).execute();
  const now_ms = tx.clock.now_ms();
  const groups = new Map<string, { kind: JobKind; engine: string; job_ids: string[] }>();
  for (const job of jobs) {
    const { kind, status } = jobState(job);
    // `ADMITTED_STATUSES` spans kinds: a status admitted for one kind may not be for this one.
    if (status !== lifecycleOf(kind).admitted) continue;
    const key = `${kind}\u0000${job.engine}`;
    const group = groups.get(key) ?? { kind, engine: job.engine, job_ids: [] };
    group.job_ids.push(job.id);
    groups.set(key, group);
  }
  const claimed = new Set<string>();
  for (const { kind, engine: name, job_ids } of groups.values()) {
    const life = lifecycleOf(kind);
    // A computed engine's result is due after its latency; a remote engine is handed the job
    // at once (`remote-jobs.ts`).
    const engine = engineByName(name);
    const latency_ms = engine.mode === 'computed' ? engine.latency_ms(tx.config) : 0n;
    const moved = await transitionJobs(tx, {
      kind,
      job_ids,
      from: life.admitted,
      to: life.running,
      set: { started_at_ms: now_ms, ready_at_ms: now_ms + latency_ms },
    });
    for (const id of moved) claimed.add(id);
  }
  for (const job of jobs) {
    if (!claimed.has(job.id)) continue;
    await productOf(job.kind).onJobEvent?.(tx, { job_id: job.id, role: 'running' });
  }
  return claimed.size;
}

/**
 * Finishes processing jobs whose result is due, each in its own group-commit unit (so one
 * job's failure rolls back only itself and is retried next tick). The wallet holds of the whole
 * tick's jobs are read first, in one statement outside any transaction (a hold's parts never
 * change once admitted), so a unit does not read them again. Returns how many finished.
 */
async function finishDueJobs(ctx: AppContext, options: { limit: number }): Promise<number> {
  const due = await ctx.db
    .selectFrom('jobs')
    .select(['id', 'account_id', 'billing_pool', 'test'])
    .where('status', 'in', RUNNING_STATUSES)
    .where('engine', 'in', COMPUTED_ENGINE_NAMES)
    .where('ready_at_ms', '<=', ctx.clock.now_ms())
    .orderBy('ready_at_ms')
    .limit(options.limit)
    .execute();
  const walletHolds = await readHeldParts(
    ctx.db,
    due.filter((job) => job.billing_pool === 'wallet' && job.test === 0n).map((job) => job.id),
  );
  const outcomes = await Promise.allSettled(
    due.map((job) =>
      ctx.committer.run(
        (tx) => finishDueJob(tx, job.id, { wallet_parts: walletHolds.get(job.id) }),
        { account_id: job.account_id },
      ),
    ),
  );
  let finished = 0;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') finished += outcome.value ? 1 : 0;
    else ctx.log.error({ err: outcome.reason, job_id: due[index]!.id }, 'finishing a job failed');
  }
  return finished;
}

const LOCK_DUE_JOB = prepareQuery((db, dialect, p: { job_id: string; now_ms: bigint }) =>
  lockRowsSkipLocked(
    dialect,
    db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', p.job_id)
      .where('status', 'in', RUNNING_STATUSES)
      .where('ready_at_ms', '<=', p.now_ms),
  ),
);

/**
 * Locks one due job (skipping it if another node has it) and finishes it; false if skipped.
 * `prefetch`: its hold as read before the transaction, if it was.
 */
export async function finishDueJob(
  tx: TxContext,
  job_id: string,
  prefetch: HoldPrefetch = {},
): Promise<boolean> {
  const job = await LOCK_DUE_JOB.first(tx.db, { job_id, now_ms: tx.clock.now_ms() });
  if (job === undefined || job.status !== lifecycleOf(job.kind).running) return false;
  if (engineByName(job.engine).mode !== 'computed') return false;
  const result = productOf(job.kind).render(computedEngineByName(job.engine), {
    job_id: job.id,
    output_format: job.output_format,
    request: JSON.parse(job.request_json),
  });
  return (await finishJob(tx, job, result, prefetch)) !== 'already_finished';
}

/**
 * Starts the periodic job worker; `stop()` waits for the current tick. Stop it before closing.
 * Each tick's start and end go to `heartbeat`, which readiness reads (`worker-heartbeat.ts`), and
 * to `observeTick` (the metrics): called as each tick starts; what it returns, when it ends.
 */
export function startJobWorker(
  ctx: AppContext,
  options: { observeTick?: () => () => void } = {},
): {
  stop: () => Promise<void>;
  heartbeat: WorkerHeartbeat;
} {
  const observeTick = options.observeTick ?? (() => () => {});
  const heartbeat = createWorkerHeartbeat({
    now_ms: ctx.clock.now_ms(),
    idle_interval_ms: WORKER_IDLE_INTERVAL_MS,
    tick_duration_ms_max: WORKER_TICK_DURATION_MS_MAX,
  });
  const loop = startTickLoop({
    name: 'job worker',
    log: ctx.log,
    idle_interval_ms: WORKER_IDLE_INTERVAL_MS,
    tick: () => runJobWorkerTick(ctx),
    observeTick: () => {
      const tickEnded = observeTick();
      recordTickStarted(heartbeat, ctx.clock.now_ms());
      return () => {
        tickEnded();
        recordTickEnded(heartbeat, ctx.clock.now_ms());
      };
    },
  });
  return { heartbeat, stop: loop.stop };
}
