/**
 * Readiness: may a load balancer send this process traffic? Three checks, each cheap:
 * - the database answers `select 1` within `READINESS_DATABASE_TIMEOUT_MS`;
 * - every migration of `db/migrations/index.ts` is applied (`pendingMigrations`). Once they all
 *   are, the answer is kept: migrations are never rolled back under a running gateway, so later
 *   checks cost nothing;
 * - the job worker ticked recently (`jobs/worker-heartbeat.ts`, in memory), when this process
 *   runs one; a process built without a worker reports it `not_monitored`.
 * Every failed check is named in `reasons`; nothing here throws.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { type WorkerHeartbeat, workerHealth } from '../jobs/worker-heartbeat.ts';

/** How long `select 1` may take before the database counts as unavailable. */
export const READINESS_DATABASE_TIMEOUT_MS = 2_000;

export type ReadinessReason =
  | 'database_unavailable'
  | 'migrations_pending'
  | 'worker_stale'
  | 'worker_stuck';

export type ReadinessReport = {
  ready: boolean;
  reasons: ReadinessReason[];
  checks: {
    database: 'ok' | 'database_unavailable';
    migrations: 'ok' | 'migrations_pending' | 'unknown';
    /** Names of the migrations not applied yet (empty when all are). */
    migrations_pending: string[];
    worker: 'ok' | 'worker_stale' | 'worker_stuck' | 'not_monitored';
  };
};

export type Readiness = { check: () => Promise<ReadinessReport> };

export function createReadiness(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  options: { worker_heartbeat?: WorkerHeartbeat | undefined } = {},
): Readiness {
  let allMigrationsApplied = false;

  const databaseAnswers = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), READINESS_DATABASE_TIMEOUT_MS);
    });
    const query = sql`select 1`.execute(ctx.db).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const pending = async (): Promise<string[]> => {
    if (allMigrationsApplied) return [];
    const names = await pendingMigrations(ctx.db);
    allMigrationsApplied = names.length === 0;
    return names;
  };

  return {
    check: async () => {
      const reasons: ReadinessReason[] = [];
      const checks: ReadinessReport['checks'] = {
        database: 'ok',
        migrations: 'unknown',
        migrations_pending: [],
        worker: 'not_monitored',
      };
      const names = (await databaseAnswers()) ? await pending().catch(() => null) : null;
      if (names === null) {
        checks.database = 'database_unavailable';
        reasons.push('database_unavailable');
      } else {
        checks.migrations_pending = names;
        checks.migrations = names.length === 0 ? 'ok' : 'migrations_pending';
        if (names.length > 0) reasons.push('migrations_pending');
      }
      if (options.worker_heartbeat !== undefined) {
        const health = workerHealth(options.worker_heartbeat, ctx.clock.now_ms());
        checks.worker = health.status;
        if (health.status !== 'ok') reasons.push(health.status);
      }
      return { ready: reasons.length === 0, reasons, checks };
    },
  };
}
