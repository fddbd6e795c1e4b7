/**
 * Reconciliation: recomputes every account's four balances from the transfer log and compares
 * them with the stored columns, checks that debits equal credits per currency, that no pending
 * transfer resolved twice, and that no no-overdraft account is below zero by more than the
 * overruns charged to it. Read-only; paged over accounts so memory stays bounded.
 *
 * Every read of one run happens in ONE read snapshot (`db/snapshot.ts`), so stored balances and
 * the sums recomputed from transfers describe the same moment: a run concurrent with admissions
 * and settlements reports drift only when there is drift.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/database.ts';
import { inReadSnapshot } from '../db/snapshot.ts';
import { ACCOUNT_FLAGS, TRANSFER_FLAGS } from './codes.ts';
import type { AccountRow } from './ledger.table.ts';

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
  page_size?: number;
  on_progress?: (accounts_done: number, accounts_total: number) => void;
};

const FIELDS: BalanceField[] = [
  'debits_pending',
  'debits_posted',
  'credits_pending',
  'credits_posted',
];

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
  const pageSize = options.page_size ?? 500;
  const counts = await sql<{ accounts: bigint; transfers: bigint }>`
    select (select count(*) from ledger_accounts) as accounts,
           (select count(*) from ledger_transfers) as transfers`.execute(db);
  const total = Number(counts.rows[0]!.accounts);
  const drifts: Drift[] = [];
  const overdrafts: Overdraft[] = [];
  let done = 0;
  let after = '';
  for (let page = 0; page <= total / pageSize + 1; page++) {
    const accounts = await db
      .selectFrom('ledger_accounts')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (accounts.length === 0) break;
    const computed = await computeBalances(
      db,
      accounts.map((a) => a.id),
    );
    checkAccounts(accounts, computed, { drifts, overdrafts });
    done += accounts.length;
    after = accounts[accounts.length - 1]!.id;
    options.on_progress?.(done, total);
  }
  const currencies = await currencyTotals(db);
  const unbalanced = currencies.filter(
    (c) => c.debits_posted !== c.credits_posted || c.debits_pending !== c.credits_pending,
  );
  const twice = await pendingsResolvedTwice(db);
  return {
    ok:
      drifts.length === 0 &&
      unbalanced.length === 0 &&
      twice.length === 0 &&
      overdrafts.length === 0,
    accounts_checked: done,
    transfers_checked: Number(counts.rows[0]!.transfers),
    drifts,
    unbalanced_currencies: unbalanced,
    currencies,
    pending_resolved_twice: twice,
    overdrafts,
  };
}

type Sums = Record<BalanceField | 'overrun_total', bigint>;

/** Compares stored balances with computed ones, and each no-overdraft account with its overruns. */
function checkAccounts(
  accounts: AccountRow[],
  computed: Map<string, Partial<Sums>>,
  found: { drifts: Drift[]; overdrafts: Overdraft[] },
): void {
  for (const account of accounts) {
    const sums = computed.get(account.id);
    for (const field of FIELDS) {
      const value = sums?.[field] ?? 0n;
      if (value !== account[field]) {
        found.drifts.push({
          account_id: account.id,
          field,
          stored: account[field],
          computed: value,
        });
      }
    }
    const below_zero_by = account.debits_posted + account.debits_pending - account.credits_posted;
    const noOverdraft = (account.flags & ACCOUNT_FLAGS.debits_must_not_exceed_credits) !== 0n;
    const overrun_total = sums?.overrun_total ?? 0n;
    if (noOverdraft && below_zero_by > overrun_total) {
      found.overdrafts.push({ account_id: account.id, below_zero_by, overrun_total });
    }
  }
}

async function computeBalances(db: Kysely<DB>, ids: string[]): Promise<Map<string, Partial<Sums>>> {
  const result = new Map<string, Partial<Sums>>();
  const add = (rows: Array<{ id: string; total: bigint | null }>, field: keyof Sums) => {
    for (const row of rows) {
      const entry = result.get(row.id) ?? {};
      entry[field] = BigInt(row.total ?? 0n);
      result.set(row.id, entry);
    }
  };
  const idList = sql.join(ids);
  const openingOrResolving = TRANSFER_FLAGS.pending | TRANSFER_FLAGS.void_pending;
  for (const side of ['debit', 'credit'] as const) {
    const column = sql.ref(`${side}_account_id`);
    const posted = await sql<{ id: string; total: bigint | null }>`
      select ${column} as id, cast(sum(amount) as bigint) as total from ledger_transfers
      where ${column} in (${idList}) and (flags & ${openingOrResolving}) = 0
      group by ${column}`.execute(db);
    add(posted.rows, `${side}s_posted`);
    const pending = await sql<{ id: string; total: bigint | null }>`
      select t.${column} as id, cast(sum(t.amount) as bigint) as total
      from ledger_transfers t join ledger_pending p on p.transfer_id = t.id
      where t.${column} in (${idList}) and p.status = 'pending'
      group by t.${column}`.execute(db);
    add(pending.rows, `${side}s_pending`);
  }
  const overruns = await sql<{ id: string; total: bigint | null }>`
    select post.debit_account_id as id, cast(sum(post.amount - opening.amount) as bigint) as total
    from ledger_transfers post join ledger_transfers opening on opening.id = post.pending_id
    where post.debit_account_id in (${idList}) and (post.flags & ${TRANSFER_FLAGS.overrun}) <> 0
      and post.amount > opening.amount
    group by post.debit_account_id`.execute(db);
  add(overruns.rows, 'overrun_total');
  return result;
}

async function currencyTotals(db: Kysely<DB>): Promise<CurrencyTotals[]> {
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

async function pendingsResolvedTwice(db: Kysely<DB>): Promise<string[]> {
  const rows = await sql<{ pending_id: string }>`
    select pending_id from ledger_transfers where pending_id is not null
    group by pending_id having count(*) > 1 limit 100`.execute(db);
  return rows.rows.map((row) => row.pending_id);
}
