/**
 * The gateway's Prometheus metrics (`prom-client`), one registry per server so tests and several
 * servers in one process never share counts. This module owns the metric names (Prometheus
 * conventions: `tollgate_` prefix, base units as suffixes) and the cheap hooks the hot paths call:
 * - `requestObserver`: one histogram observe per HTTP request, on a child cached per route and
 *   status code (no label hashing or allocation per request; requests matching no route, the
 *   404s of unknown paths, are not observed);
 * - `group_commit`: the group committer's observer (batch size, commit latency);
 * - `observeWorkerTick`: the job worker's tick duration;
 * - `idempotency`: a plain counter of the keys this process holds claimed, read at scrape time;
 * - webhook and payment outcome counters, read at scrape time from the context's plain counts
 *   (`outcome-counters.ts`).
 * Gauges that describe the database (jobs, holds, backlog) are read at scrape time by
 * `database-gauges.ts`, never kept up to date on the hot path.
 *
 * Durations are wall-clock latencies measured by prom-client's timer (`process.hrtime`), not the
 * domain clock: a fake clock in tests would hide them, and no decision is taken on them.
 */
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DB } from '../db/database.ts';
import type { GroupCommitObserver } from '../db/group-commit.ts';
import type { Clock } from '../shared/clock.ts';
import type { OutcomeCounts } from '../shared/outcome-counts.ts';
import { registerDatabaseGauges } from './database-gauges.ts';
import { registerOutcomeCounters } from './outcome-counters.ts';

/** Seconds: from a cached lookup (1 ms) to a slow write (10 s). */
const REQUEST_DURATION_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
];
/** Writes per group commit: 1 (idle) up to `group_commit_batch_size_max`. */
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 8190];
const COMMIT_DURATION_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const TICK_DURATION_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

export type RequestObserver = (status_code: number, duration_s: number) => void;

export type Metrics = {
  registry: Registry;
  /** An observer for one route pattern and method; call it once per response. */
  requestObserver: (route: { method: string; url: string }) => RequestObserver;
  group_commit: GroupCommitObserver;
  /** Starts timing one worker tick; the function it returns ends it. */
  observeWorkerTick: () => () => void;
  /** Idempotency keys this process holds claimed (incremented on claim, decremented on finish). */
  idempotency: { keys_in_flight: number };
};

export type MetricsOptions = {
  /** Where the database gauges are read from at scrape time; none without it. */
  database?: { db: Kysely<DB>; clock: Clock };
  /** Node's own metrics (CPU, memory, event-loop lag, GC): for the process, not for tests. */
  process_metrics?: boolean;
  /** The context's outcome counts (`ctx.counts`); no outcome counters without them. */
  counts?: OutcomeCounts;
};

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.process_metrics === true) collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'tollgate_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: REQUEST_DURATION_BUCKETS_S,
    registers,
  });
  const batchSize = new Histogram({
    name: 'tollgate_group_commit_batch_size',
    help: 'Writes (units and transfer calls) committed together in one group commit',
    buckets: BATCH_SIZE_BUCKETS,
    registers,
  });
  const commitDuration = new Histogram({
    name: 'tollgate_group_commit_duration_seconds',
    help: 'Time from the start of a group commit transaction to its durable commit (or rollback)',
    buckets: COMMIT_DURATION_BUCKETS_S,
    registers,
  });
  const tickDuration = new Histogram({
    name: 'tollgate_worker_tick_duration_seconds',
    help: 'Duration of one bounded job worker tick',
    buckets: TICK_DURATION_BUCKETS_S,
    registers,
  });
  const idempotency = { keys_in_flight: 0 };
  new Gauge({
    name: 'tollgate_idempotency_keys_in_flight',
    help: 'Idempotency keys this process holds claimed by a request still running',
    registers,
    collect() {
      this.set(idempotency.keys_in_flight);
    },
  });
  if (options.database !== undefined) registerDatabaseGauges(registry, options.database);
  if (options.counts !== undefined) registerOutcomeCounters(registry, options.counts);

  return {
    registry,
    requestObserver: (route) => {
      const children = new Map<number, { observe: (value: number) => void }>();
      return (status_code, duration_s) => {
        let child = children.get(status_code);
        if (child === undefined) {
          child = requestDuration.labels(route.method, route.url, String(status_code));
          children.set(status_code, child);
        }
        child.observe(duration_s);
      };
    },
    group_commit: {
      batchStarted: (batch_size) => {
        batchSize.observe(batch_size);
        return commitDuration.startTimer();
      },
    },
    observeWorkerTick: () => tickDuration.startTimer(),
    idempotency,
  };
}
