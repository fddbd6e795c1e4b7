/**
 * Reconciliation: recomputes every account's four balances from the transfer log and compares
 * them with the stored columns, checks that debits equal credits per currency, that no pending
 * transfer resolved twice, and that no no-overdraft account is below zero by more than the
 * overruns charged to it. Read-only.
 *
 * Set-based, so it is fast and its memory is bounded at any ledger size: the sums are computed
 * by the database in one scan of the transfer log (`reconcile-queries.ts`), and only what is
 * wrong comes back, at most `FINDINGS_LISTED_MAX` of each kind (`ok` is false as soon as there
 * is one). Every read of one run happens in ONE read snapshot (`db/snapshot.ts`), so stored
 * balances and the sums recomputed from transfers describe the same moment: a run concurrent
 * with admissions and settlements reports drift only when there is drift.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB } from '../db/database.ts';
import { watchScan } from '../db/scan-progress.ts';
import { inReadSnapshot } from '../db/snapshot.ts';
import { ACCOUNT_FLAGS } from './codes.ts';
import {
  belowZeroAccounts,
  currencyTotals,
  findDrifts,
  overrunTotals,
  pendingsResolvedTwice,
} from './reconcile-queries.ts';

export type BalanceField =
  | 'debits_pending'
  | 'debits_posted'
  | 'credits_pending'
  | 'credits_posted';
export type Drift = { account_id: string; field: BalanceField; stored: bigint; computed: bigint };
export type CurrencyTotals = {
  currency: string;
  debits_posted: bigint;
  credits_posted: bigint;
  debits_pending: bigint;
  credits_pending: bigint;
};
export type Overdraft = { account_id: string; below_zero_by: bigint; overrun_total: bigint };

export type ReconcileReport = {
  ok: boolean;
  accounts_checked: number;
  transfers_checked: number;
  drifts: Drift[];
  unbalanced_currencies: CurrencyTotals[];
  currencies: CurrencyTotals[];
  pending_resolved_twice: string[];
  overdrafts: Overdraft[];
};

export type ReconcileOptions = {
  /** Accounts per query when checking the few accounts below zero for overruns. */
  page_size?: number;
  /**
   * Progress through the transfer log, the bulk of the work: `done` of `total` transfers
   * scanned (by rowid on SQLite, during the scan; on PostgreSQL once the scan is done).
   */
  on_progress?: (done: number, total: number) => void;
};

/** Findings of each kind listed in a report; more than this many still make `ok` false. */
export const FINDINGS_LISTED_MAX = 1_000;
const PAGE_SIZE_DEFAULT = 500;

export function reconcileLedger(
  db: Kysely<DB>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  return inReadSnapshot(db, (snapshot) => reconcileInSnapshot(snapshot, options));
}

async function reconcileInSnapshot(
  db: Kysely<DB>,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const counts = await sql<{ accounts: bigint; transfers: bigint }>`
    select (select count(*) from ledger_accounts) as accounts,
           (select count(*) from ledger_transfers) as transfers`.execute(db);
  const transfers = Number(counts.rows[0]!.transfers);
  const drifts = await driftsWithProgress(db, transfers, options.on_progress);
  const currencies = await currencyTotals(db);
  const unbalanced = currencies.filter(
    (c) => c.debits_posted !== c.credits_posted || c.debits_pending !== c.credits_pending,
  );
  const twice = await pendingsResolvedTwice(db, FINDINGS_LISTED_MAX);
  const overdrafts = await findOverdrafts(db, options.page_size ?? PAGE_SIZE_DEFAULT);
  return {
    ok:
      drifts.length === 0 &&
      unbalanced.length === 0 &&
      twice.length === 0 &&
      overdrafts.length === 0,
    accounts_checked: Number(counts.rows[0]!.accounts),
    transfers_checked: transfers,
    drifts,
    unbalanced_currencies: unbalanced,
    currencies,
    pending_resolved_twice: twice,
    overdrafts,
  };
}

async function driftsWithProgress(
  db: Kysely<DB>,
  transfers: number,
  on_progress: ReconcileOptions['on_progress'],
) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Rowids are dense from 1 in an append-only table: the highest is the scan's end.
  const last = postgres
    ? transfers
    : Number(
        (
          await sql<{
            last: bigint | null;
          }>`select max(rowid) as last from ledger_transfers`.execute(db)
        ).rows[0]?.last ?? 0n,
      );
  on_progress?.(0, last);
  const watch = watchScan(postgres ? 'postgres' : 'sqlite', (rowid) =>
    on_progress?.(Math.min(Number(rowid), last), last),
  );
  try {
    const drifts = await findDrifts(db, { limit: FINDINGS_LISTED_MAX, scanTerm: watch.term });
    on_progress?.(last, last);
    return drifts;
  } finally {
    watch.stop();
  }
}

/** No-overdraft accounts below zero by more than their overruns, paged by id. */
async function findOverdrafts(db: Kysely<DB>, page_size: number): Promise<Overdraft[]> {
  const found: Overdraft[] = [];
  let after = '';
  for (;;) {
    const page = await belowZeroAccounts(db, {
      after,
      limit: page_size,
      no_overdraft_flag: ACCOUNT_FLAGS.debits_must_not_exceed_credits,
    });
    if (page.length === 0) return found;
    const overruns = await overrunTotals(
      db,
      page.map((account) => account.account_id),
    );
    for (const account of page) {
      const overrun_total = overruns.get(account.account_id) ?? 0n;
      if (account.below_zero_by > overrun_total && found.length < FINDINGS_LISTED_MAX) {
        found.push({ ...account, overrun_total });
      }
    }
    after = page[page.length - 1]!.account_id;
  }
}
