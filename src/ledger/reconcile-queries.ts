/**
 * The set-based queries of reconciliation. Each reads whole tables in one statement and returns
 * only what is wrong (bounded by a `limit`), so memory does not grow with the ledger: the sort
 * and the sums run inside the database, which spills to disk as needed.
 *
 * Drift: every posted transfer contributes its amount to its debit account's `debits_posted`
 * and its credit account's `credits_posted`; every transfer still pending (its `ledger_pending`
 * row says so) to `debits_pending` / `credits_pending`; every account contributes its four stored
 * balances (only those that are not zero: a zero that should not be shows up through the
 * transfers' entries). Grouped by account and balance, sums that differ are drift. The transfer log is
 * read in ONE scan: a two-row constant table turns each transfer into its debit and its credit
 * entry, instead of a UNION reading the table twice.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../db/database.ts';
import { TRANSFER_FLAGS } from './codes.ts';
import type { BalanceField, CurrencyTotals, Drift } from './reconcile.ts';

/** The balance columns in report order; a drift query row names one by its index. */
export const BALANCE_FIELDS: readonly BalanceField[] = [
  'debits_pending',
  'debits_posted',
  'credits_pending',
  'credits_posted',
];

/** Opening or resolving by voiding: neither moves posted balances. */
const NOT_POSTED = TRANSFER_FLAGS.pending | TRANSFER_FLAGS.void_pending;

/**
 * Up to `limit` drifts, ordered by account then balance. `scanTerm` is ANDed into the scan of
 * the transfer log (progress reporting, `db/scan-progress.ts`).
 */
export async function findDrifts(
  db: Kysely<DB>,
  options: { limit: number; scanTerm: (rowid: RawBuilder<unknown>) => RawBuilder<SqlBool> },
): Promise<Drift[]> {
  const rowid = sql`t.rowid`;
  const rows = await sql<{
    account_id: string;
    field: bigint | number;
    computed: bigint;
    stored: bigint;
  }>`
    with sides(side) as (values (0), (1)),
    balances(field) as (values (0), (1), (2), (3)),
    entries(account_id, field, computed, stored) as (
      select case s.side when 0 then t.debit_account_id else t.credit_account_id end,
        s.side * 2 + 1, t.amount, 0
      from ledger_transfers t cross join sides s
      where (t.flags & ${sql.lit(Number(NOT_POSTED))}) = 0 and ${options.scanTerm(rowid)}
      union all
      select case s.side when 0 then t.debit_account_id else t.credit_account_id end,
        s.side * 2, t.amount, 0
      from ledger_pending p join ledger_transfers t on t.id = p.transfer_id cross join sides s
      where p.status = 'pending'
      union all
      select a.id, b.field, 0, case b.field when 0 then a.debits_pending
        when 1 then a.debits_posted when 2 then a.credits_pending else a.credits_posted end
      from ledger_accounts a cross join balances b
      where case b.field when 0 then a.debits_pending when 1 then a.debits_posted
        when 2 then a.credits_pending else a.credits_posted end <> 0
    )
    select account_id, field, cast(sum(computed) as bigint) as computed,
      cast(sum(stored) as bigint) as stored
    from entries group by account_id, field having sum(computed) <> sum(stored)
    order by account_id, field limit ${options.limit}`.execute(db);
  return rows.rows.map((row) => ({
    account_id: row.account_id,
    field: BALANCE_FIELDS[Number(row.field)]!,
    stored: BigInt(row.stored),
    computed: BigInt(row.computed),
  }));
}

export async function currencyTotals(db: Kysely<DB>): Promise<CurrencyTotals[]> {
  const rows = await sql<CurrencyTotals>`
    select currency,
      cast(sum(debits_posted) as bigint) as debits_posted,
      cast(sum(credits_posted) as bigint) as credits_posted,
      cast(sum(debits_pending) as bigint) as debits_pending,
      cast(sum(credits_pending) as bigint) as credits_pending
    from ledger_accounts group by currency order by currency`.execute(db);
  return rows.rows.map((row) => ({
    currency: row.currency,
    debits_posted: BigInt(row.debits_posted),
    credits_posted: BigInt(row.credits_posted),
    debits_pending: BigInt(row.debits_pending),
    credits_pending: BigInt(row.credits_pending),
  }));
}

export async function pendingsResolvedTwice(db: Kysely<DB>, limit: number): Promise<string[]> {
  const rows = await sql<{ pending_id: string }>`
    select pending_id from ledger_transfers where pending_id is not null
    group by pending_id having count(*) > 1 order by pending_id limit ${limit}`.execute(db);
  return rows.rows.map((row) => row.pending_id);
}

export type BelowZero = { account_id: string; below_zero_by: bigint };

/**
 * One page (by id, after `after`) of the no-overdraft accounts whose stored debits exceed their
 * credits. Few accounts are ever below zero (only an overrun takes one there), so this reads the
 * accounts table once and returns little.
 */
export async function belowZeroAccounts(
  db: Kysely<DB>,
  page: { after: string; limit: number; no_overdraft_flag: bigint },
): Promise<BelowZero[]> {
  const rows = await sql<{ id: string; below_zero_by: bigint }>`
    select id, cast(debits_posted + debits_pending - credits_posted as bigint) as below_zero_by
    from ledger_accounts
    where id > ${page.after} and (flags & ${sql.lit(Number(page.no_overdraft_flag))}) <> 0
      and debits_posted + debits_pending > credits_posted
    order by id limit ${page.limit}`.execute(db);
  return rows.rows.map((row) => ({ account_id: row.id, below_zero_by: BigInt(row.below_zero_by) }));
}

/** What overruns (posts above their pending amount) charged each of `ids`, by the debit index. */
export async function overrunTotals(db: Kysely<DB>, ids: string[]): Promise<Map<string, bigint>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; total: bigint | null }>`
    select post.debit_account_id as id, cast(sum(post.amount - opening.amount) as bigint) as total
    from ledger_transfers post join ledger_transfers opening on opening.id = post.pending_id
    where post.debit_account_id in (${sql.join(ids)})
      and (post.flags & ${sql.lit(Number(TRANSFER_FLAGS.overrun))}) <> 0 and post.amount > opening.amount
    group by post.debit_account_id`.execute(db);
  return new Map(rows.rows.map((row) => [row.id, BigInt(row.total ?? 0n)]));
}
