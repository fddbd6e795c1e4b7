/**
 * A customer's USD wallet is a set of ledger accounts, all owned by the customer account (so
 * every wallet transaction stays inside one customer's rows):
 * - one no-overdraft account per grant (`wallet:<account>:grant:<grant>`, `grants.ts`);
 * - two pools, `wallet:<account>:promotional` and `:paid` (no-overdraft): all of a wallet's money
 *   before grants had terms, drawn last within their kind;
 * - the debt account `wallet:<account>:debt` (may go below zero): what a debit or an overrun took
 *   beyond what the grants had; new grants repay it first.
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

export function grantAccountId(account_id: string, grant_id: string): string {
  return `wallet:${account_id}:grant:${grant_id}`;
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
