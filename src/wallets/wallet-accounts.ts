/**
 * A customer's USD wallet is a set of ledger accounts, all owned by the customer account (so
 * every wallet transaction stays inside one customer's rows):
 * - one no-overdraft account per grant, `wallet:<account>:<kind>:<grant>` (`grants.ts`);
 * - two pools, `wallet:<account>:promotional` and `:paid` (no-overdraft): all of a wallet's money
 *   before grants had terms, drawn last within their kind;
 * - the debt account `wallet:<account>:debt` (no flags, so it may go below zero): what a debit
 *   (`debit.ts`) took beyond what the grants had free. It is never drawn from; the wallet's
 *   available balance is the sum over all its accounts, so a debt is netted against later grants.
 * The three fixed accounts are created with the customer account.
 */
import type { TxContext } from '../context.ts';
import { createAccounts } from '../ledger/accounts.ts';
import { ACCOUNT_CODES, ACCOUNT_FLAGS } from '../ledger/codes.ts';
import { isApplied } from '../ledger/errors.ts';
import { assert } from '../shared/assert.ts';

export const WALLET_KINDS = ['promotional', 'paid'] as const;
export type WalletKind = (typeof WALLET_KINDS)[number];

/** The pool of `kind`: the per-kind account of a wallet. */
export function walletAccountId(account_id: string, kind: WalletKind): string {
  return `wallet:${account_id}:${kind}`;
}

export function debtAccountId(account_id: string): string {
  return `wallet:${account_id}:debt`;
}

export function grantAccountId(account_id: string, kind: WalletKind, grant_id: string): string {
  return `wallet:${account_id}:${kind}:${grant_id}`;
}

/** The kind of money a wallet ledger account holds (its pool's or its grant's); null for debt. */
export function kindOfWalletAccount(ledger_account_id: string): WalletKind | null {
  const kind = ledger_account_id.split(':')[2];
  return kind === 'promotional' || kind === 'paid' ? kind : null;
}

export async function createWalletLedgerAccounts(tx: TxContext, account_id: string): Promise<void> {
  const results = await createAccounts(tx, [
    ...WALLET_KINDS.map((kind) => ({
      id: walletAccountId(account_id, kind),
      currency: 'usd_micro' as const,
      code: ACCOUNT_CODES.customer_wallet,
      flags: ACCOUNT_FLAGS.debits_must_not_exceed_credits,
      owner_id: account_id,
    })),
    {
      id: debtAccountId(account_id),
      currency: 'usd_micro' as const,
      code: ACCOUNT_CODES.customer_wallet,
      flags: 0n,
      owner_id: account_id,
    },
  ]);
  assert(results.every(isApplied), `wallet accounts for ${account_id}: ${results.join(',')}`);
}
