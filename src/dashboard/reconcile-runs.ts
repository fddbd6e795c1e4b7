/**
 * Reconciles started from the operator console: `runReconcile` recomputes every balance from the
 * transfer log (`ledger/reconcile.ts`, one read snapshot, safe under load) and stores the report,
 * so the console can show the last one with when it ran and what it found.
 */
import type { Kysely } from 'kysely';
import type { BaseContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { type ReconcileReport, reconcileLedger } from '../ledger/reconcile.ts';
import { stringifyJson } from '../shared/json.ts';

export type ReconcileRun = {
  id: string;
  ok: boolean;
  accounts_checked: number;
  transfers_checked: number;
  report: ReconcileReport;
  started_at_ms: bigint;
  finished_at_ms: bigint;
};

export async function runReconcile(ctx: BaseContext): Promise<ReconcileRun> {
  const started_at_ms = ctx.clock.now_ms();
  const report = await reconcileLedger(ctx.db);
  const run: ReconcileRun = {
    id: ctx.ids.newId('recon'),
    ok: report.ok,
    accounts_checked: report.accounts_checked,
    transfers_checked: report.transfers_checked,
    report,
    started_at_ms,
    finished_at_ms: ctx.clock.now_ms(),
  };
  await ctx.db
    .insertInto('reconcile_runs')
    .values({
      id: run.id,
      ok: run.ok ? 1n : 0n,
      accounts_checked: BigInt(run.accounts_checked),
      transfers_checked: BigInt(run.transfers_checked),
      report_json: stringifyJson(report),
      started_at_ms,
      finished_at_ms: run.finished_at_ms,
    })
    .execute();
  return run;
}

/** The most recent stored run, or null when the console never ran one. */
export async function lastReconcile(db: Kysely<DB>): Promise<ReconcileRun | null> {
  const row = await db
    .selectFrom('reconcile_runs')
    .selectAll()
    .orderBy('finished_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return null;
  return {
    id: row.id,
    ok: row.ok === 1n,
    accounts_checked: Number(row.accounts_checked),
    transfers_checked: Number(row.transfers_checked),
    report: JSON.parse(row.report_json),
    started_at_ms: row.started_at_ms,
    finished_at_ms: row.finished_at_ms,
  };
}
