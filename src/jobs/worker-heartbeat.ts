/**
 * The job worker's heartbeat, in memory: when its current tick started and when its last tick
 * ended. The worker writes it (`startJobWorker`); readiness (`/readyz`) reads it through
 * `workerHealth`, which needs no database. The worker is healthy while it ticks: idle, a tick
 * ended within `10 × idle interval` (the loop waits one idle interval between idle ticks, so ten
 * missed ticks is no scheduling jitter); busy, the running tick started within
 * `10 × idle interval + tick_duration_ms_max`. Before its first tick, the worker's start counts
 * as its last tick's end.
 */

export type WorkerHeartbeat = {
  /** Ten idle intervals: longer than this between ticks means the loop stopped. */
  stale_after_ms: bigint;
  /** The longest a tick may run before the worker counts as stuck (added to `stale_after_ms`). */
  tick_duration_ms_max: bigint;
  tick_started_at_ms: bigint | null;
  last_tick_ended_at_ms: bigint;
};

export type WorkerHealth =
  | { status: 'ok' }
  | { status: 'worker_stale' | 'worker_stuck'; since_ms: bigint; bound_ms: bigint };

export function createWorkerHeartbeat(options: {
  now_ms: bigint;
  idle_interval_ms: number;
  tick_duration_ms_max: number;
}): WorkerHeartbeat {
  return {
    stale_after_ms: 10n * BigInt(options.idle_interval_ms),
    tick_duration_ms_max: BigInt(options.tick_duration_ms_max),
    tick_started_at_ms: null,
    last_tick_ended_at_ms: options.now_ms,
  };
}

export function recordTickStarted(heartbeat: WorkerHeartbeat, now_ms: bigint): void {
  heartbeat.tick_started_at_ms = now_ms;
}

export function recordTickEnded(heartbeat: WorkerHeartbeat, now_ms: bigint): void {
  heartbeat.tick_started_at_ms = null;
  heartbeat.last_tick_ended_at_ms = now_ms;
}

/** Whether the worker ticked recently enough; the reason and the bound when it did not. */
export function workerHealth(heartbeat: WorkerHeartbeat, now_ms: bigint): WorkerHealth {
  const started = heartbeat.tick_started_at_ms;
  if (started !== null) {
    const bound_ms = heartbeat.stale_after_ms + heartbeat.tick_duration_ms_max;
    const since_ms = now_ms - started;
    return since_ms > bound_ms ? { status: 'worker_stuck', since_ms, bound_ms } : { status: 'ok' };
  }
  const since_ms = now_ms - heartbeat.last_tick_ended_at_ms;
  const bound_ms = heartbeat.stale_after_ms;
  return since_ms > bound_ms ? { status: 'worker_stale', since_ms, bound_ms } : { status: 'ok' };
}
