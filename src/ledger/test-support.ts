/** Shortcuts for ledger tests: accounts with readable ids, transfers with defaults, balances. */
import { type AppContext, withTransaction } from '../context.ts';
import { type AccountInput, createAccounts, lookupAccounts } from './accounts.ts';
import { ACCOUNT_CODES, ACCOUNT_FLAGS, type Currency, TRANSFER_CODES } from './codes.ts';
import type { CreateTransferResult } from './errors.ts';
import { createTransfers, type TransferInput } from './transfers.ts';

export function account(id: string, overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    id,
    currency: 'usd_micro',
    code: ACCOUNT_CODES.test,
    flags: 0n,
    owner_id: null,
    ...overrides,
  };
}

export function wallet(id: string, currency: Currency = 'usd_micro'): AccountInput {
  return account(id, { currency, flags: ACCOUNT_FLAGS.debits_must_not_exceed_credits });
}

export function transfer(
  id: string,
  fields: Omit<TransferInput, 'id' | 'code'> & { code?: bigint },
): TransferInput {
  return { code: TRANSFER_CODES.test, ...fields, id };
}

export async function setupAccounts(ctx: AppContext, inputs: AccountInput[]): Promise<void> {
  const results = await withTransaction(ctx, (tx) => createAccounts(tx, inputs));
  if (results.some((result) => result !== 'ok')) throw new Error(`setup failed: ${results}`);
}

export async function submit(
  ctx: AppContext,
  inputs: TransferInput[],
): Promise<CreateTransferResult[]> {
  return withTransaction(ctx, (tx) => createTransfers(tx, inputs));
}

export type Balances = {
  debits_pending: bigint;
  debits_posted: bigint;
  credits_pending: bigint;
  credits_posted: bigint;
};

export async function balancesOf(ctx: AppContext, id: string): Promise<Balances> {
  const row = (await lookupAccounts(ctx.db, [id])).get(id);
  if (row === undefined) throw new Error(`no account ${id}`);
  const { debits_pending, debits_posted, credits_pending, credits_posted } = row;
  return { debits_pending, debits_posted, credits_pending, credits_posted };
}

export async function transferCount(ctx: AppContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('ledger_transfers')
    .select((eb) => eb.fn.countAll<bigint>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
