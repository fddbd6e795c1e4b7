/**
 * Gauges read from the database when Prometheus scrapes, so the hot path pays nothing for them.
 * Each is one small query over an index, bounded by what is in flight (jobs and holds that are
 * not finished), never by the size of the history:
 * - `tollgate_jobs_in_flight{product,status}`: jobs not yet in a final status, one grouped query
 *   over the `(status, ready_at_ms)` index. Finished jobs are not counted: a count over all history
 *   grows with every job and would scan the whole table on every scrape;
 * - `tollgate_holds_pending` and `tollgate_holds_pending_amount_micro_usd`: pending USD holds;
 * - `tollgate_worker_backlog_jobs`: jobs the worker should move now (admitted, or running and due).
 * A failing query (the database is down) fails the scrape, which Prometheus records as `up == 0`.
 */
import { type Kysely, sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { DB } from '../db/database.ts';
import { ADMITTED_STATUSES, IN_FLIGHT_STATUSES, RUNNING_STATUSES } from '../jobs/lifecycle.ts';
import type { Clock } from '../shared/clock.ts';

export function registerDatabaseGauges(
  registry: Registry,
  source: { db: Kysely<DB>; clock: Clock },
): void {
  const registers = [registry];
  const { db, clock } = source;
  new Gauge({
    name: 'tollgate_jobs_in_flight',
    help: 'Jobs not yet in a final status, by pricing product and status',
    labelNames: ['product', 'status'] as const,
    registers,
    async collect() {
      const rows = await db
        .selectFrom('jobs')
        .select(['product', 'status', (eb) => eb.fn.countAll<bigint>().as('count')])
        .where('status', 'in', IN_FLIGHT_STATUSES)
        .groupBy(['product', 'status'])
        .execute();
      this.reset();
      for (const row of rows)
        this.set({ product: row.product, status: row.status }, Number(row.count));
    },
  });
  const holds = pendingHolds(db);
  new Gauge({
    name: 'tollgate_holds_pending',
    help: 'Pending holds on customer wallets (USD)',
    registers,
    async collect() {
      this.set((await holds()).count);
    },
  });
  new Gauge({
    name: 'tollgate_holds_pending_amount_micro_usd',
    help: 'Amount held by pending holds, in micro-USD (1e-6 USD)',
    registers,
    async collect() {
      this.set((await holds()).amount_micro_usd);
    },
  });
  new Gauge({
    name: 'tollgate_worker_backlog_jobs',
    help: 'Jobs the worker should move now: admitted, or running with their result due',
    registers,
    async collect() {
      const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<bigint>().as('count'))
        .where((eb) =>
          eb.or([
            eb('status', 'in', ADMITTED_STATUSES),
            eb.and([eb('status', 'in', RUNNING_STATUSES), eb('ready_at_ms', '<=', clock.now_ms())]),
          ]),
        )
        .executeTakeFirstOrThrow();
      this.set(Number(row.count));
    },
  });
}

/**
 * Both hold gauges come from one query per scrape: the first gauge's collect starts it and the
 * second reuses the result while it is fresh (the same scrape).
 */
function pendingHolds(db: Kysely<DB>) {
  let current: Promise<{ count: number; amount_micro_usd: number }> | null = null;
  return () => {
    if (current !== null) return current;
    current = db
      .selectFrom('ledger_pending')
      .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_pending.transfer_id')
      .select((eb) => [
        eb.fn.countAll<bigint>().as('count'),
        sql<bigint | string | null>`sum(${eb.ref('ledger_transfers.amount')})`.as('amount'),
      ])
      .where('ledger_pending.status', '=', 'pending')
      .where('ledger_transfers.currency', '=', 'usd_micro')
      .executeTakeFirstOrThrow()
      .then((row) => ({ count: Number(row.count), amount_micro_usd: Number(row.amount ?? 0) }))
      .finally(() => {
        setImmediate(() => {
          current = null;
        });
      });
    return current;
  };
}
