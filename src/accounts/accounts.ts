/**
 * Customer accounts: who they are, their eligibility flags (Avatar III, Enterprise) and their
 * concurrency limit. Creating an account also creates its wallet's ledger accounts in the same
 * transaction, so an account never exists without somewhere to hold its money.
 */
import type { Kysely } from 'kysely';
import { type AccountBillingType, isAccountBillingType } from '../billing/pools.ts';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import type { PageCursor } from '../shared/page-token.ts';
import { getWalletBalance, type WalletBalance } from '../wallets/balance.ts';
import { createWalletLedgerAccounts } from '../wallets/wallet-accounts.ts';
import type { AccountRow } from './accounts.table.ts';
import type { AccountErrorCode } from './errors.ts';

export type NewAccount = {
  username: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  existing_avatar_iii_customer: boolean;
  enterprise: boolean;
  /** Jobs in flight at once; null uses the configured default. */
  concurrency_limit: number | null;
  /** How far below zero an overrun may take the wallet (default 0). */
  overdraft_limit_micro_usd?: bigint;
};

export type Account = {
  id: string;
  username: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  existing_avatar_iii_customer: boolean;
  enterprise: boolean;
  concurrency_limit: number;
  overdraft_limit_micro_usd: bigint;
  /** How the account's API keys pay: the prepaid wallet or postpaid usage (`billing/pools.ts`). */
  billing_type: AccountBillingType;
  created_at_ms: bigint;
};

/** Creates an account and its wallet. `username_taken` if the username is in use. */
export async function createAccount(tx: TxContext, input: NewAccount): Promise<Account> {
  const taken = await tx.db
    .selectFrom('accounts')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new DomainError<AccountErrorCode>(
      'username_taken',
      `Username "${input.username}" is already taken.`,
      {
        param: 'username',
      },
    );
  }
  const row: AccountRow = {
    id: tx.ids.newId('acct'),
    username: input.username,
    email: input.email,
    first_name: input.first_name,
    last_name: input.last_name,
    existing_avatar_iii_customer: input.existing_avatar_iii_customer ? 1n : 0n,
    enterprise: input.enterprise ? 1n : 0n,
    concurrency_limit: input.concurrency_limit === null ? null : BigInt(input.concurrency_limit),
    overdraft_limit_micro_usd: input.overdraft_limit_micro_usd ?? 0n,
    billing_type: 'wallet',
    created_at_ms: tx.clock.now_ms(),
  };
  await tx.db.insertInto('accounts').values(row).execute();
  await createWalletLedgerAccounts(tx, row.id);
  return toAccount(row, tx.config.limits.concurrent_jobs_default);
}

export function toAccount(row: AccountRow, concurrent_jobs_default: number): Account {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    existing_avatar_iii_customer: row.existing_avatar_iii_customer === 1n,
    enterprise: row.enterprise === 1n,
    concurrency_limit:
      row.concurrency_limit === null ? concurrent_jobs_default : Number(row.concurrency_limit),
    overdraft_limit_micro_usd: row.overdraft_limit_micro_usd,
    billing_type: isAccountBillingType(row.billing_type) ? row.billing_type : 'wallet',
    created_at_ms: row.created_at_ms,
  };
}

/**
 * Sets how far below zero an overrun may take the account's wallet (`overdraft_limit_usd`). Only
 * later settlements use the new limit; a wallet already further below zero stays there.
 */
export async function setOverdraftLimit(
  tx: TxContext,
  request: { account_id: string; overdraft_limit_micro_usd: bigint },
): Promise<Account> {
  assert(request.overdraft_limit_micro_usd >= 0n, 'an overdraft limit is never negative');
  const result = await tx.db
    .updateTable('accounts')
    .set({ overdraft_limit_micro_usd: request.overdraft_limit_micro_usd })
    .where('id', '=', request.account_id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw accountNotFound(request.account_id);
  return getAccount(tx, request.account_id);
}

/**
 * Sets how many jobs the account may have in flight at once; null returns it to the configured
 * default. Jobs already in flight are not affected; only later admissions count against it.
 */
export async function setConcurrencyLimit(
  tx: TxContext,
  request: { account_id: string; concurrency_limit: number | null },
): Promise<Account> {
  const limit = request.concurrency_limit;
  assert(
    limit === null || (limit >= 1 && limit <= tx.config.limits.concurrent_jobs_max),
    'a concurrency limit is checked by the caller',
  );
  const result = await tx.db
    .updateTable('accounts')
    .set({ concurrency_limit: limit === null ? null : BigInt(limit) })
    .where('id', '=', request.account_id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw accountNotFound(request.account_id);
  return getAccount(tx, request.account_id);
}

function accountNotFound(account_id: string): DomainError<AccountErrorCode> {
  return new DomainError<AccountErrorCode>(
    'account_not_found',
    `Account ${account_id} not found.`,
    {
      param: 'account_id',
    },
  );
}

/** The account, or `account_not_found`. */
export async function getAccount(
  ctx: { db: Kysely<DB>; config: TxContext['config'] },
  account_id: string,
): Promise<Account> {
  const row = await ctx.db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', account_id)
    .executeTakeFirst();
  if (row === undefined) throw accountNotFound(account_id);
  return toAccount(row, ctx.config.limits.concurrent_jobs_default);
}

/**
 * One page of accounts, newest first. Fetches `limit + 1` rows so the caller can tell whether
 * another page follows; `after` is the last item of the previous page.
 */
export async function listAccounts(
  ctx: { db: Kysely<DB>; config: TxContext['config'] },
  page: { limit: number; after: PageCursor | null },
): Promise<Account[]> {
  assert(page.limit >= 1 && page.limit <= ctx.config.limits.page_size_max, 'page limit in range');
  let query = ctx.db.selectFrom('accounts').selectAll();
  const after = page.after;
  if (after !== null) {
    query = query.where(olderThanCursor(after));
  }
  const rows = await query
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map((row) => toAccount(row, ctx.config.limits.concurrent_jobs_default));
}

/** The account and its wallet balance, read together; `account_not_found` if unknown. */
export async function getAccountWithBalance(
  ctx: { db: Kysely<DB>; config: TxContext['config']; clock: TxContext['clock'] },
  account_id: string,
): Promise<{ account: Account; balance: WalletBalance }> {
  const account = await getAccount(ctx, account_id);
  return { account, balance: await getWalletBalance(ctx.db, account_id, ctx.clock.now_ms()) };
}
