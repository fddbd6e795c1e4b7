/**
 * A customer's USD wallet is two no-overdraft ledger accounts: `promotional` (free credit) and
 * `paid` (top-ups). Spending draws promotional before paid; both are owned by the customer
 * account, so every wallet transaction stays inside one customer's rows.
 */
import type { TxContext } from '../context.ts';
import { createAccounts } from '../ledger/accounts.ts';
import { ACCOUNT_CODES, ACCOUNT_FLAGS } from '../ledger/codes.ts';
import { isApplied } from '../ledger/errors.ts';
import { assert } from '../shared/assert.ts';

export const WALLET_KINDS = ['promotional', 'paid'] as const;
export type WalletKind = (typeof WALLET_KINDS)[number];

export function walletAccountId(account_id: string, kind: WalletKind): string {
  return `wallet:${account_id}:${kind}`;
}

export async function createWalletLedgerAccounts(tx: TxContext, account_id: string): Promise<void> {
  const results = await createAccounts(
    tx,
    WALLET_KINDS.map((kind) => ({
      id: walletAccountId(account_id, kind),
      currency: 'usd_micro' as const,
      code: ACCOUNT_CODES.customer_wallet,
      flags: ACCOUNT_FLAGS.debits_must_not_exceed_credits,
      owner_id: account_id,
    })),
  );
  assert(results.every(isApplied), `wallet accounts for ${account_id}: ${results.join(',')}`);
}
