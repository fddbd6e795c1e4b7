/**
 * Closing grants: a grant whose ledger account is at exactly zero with nothing held or pending
 * can never give or receive money again (releases only return to accounts with a hold; refunds
 * make new grants), so it is closed (`closed_at_ms`) and drops out of the wallet's hot path
 * (`wallet-parts.ts`). A grant below zero (an overrun charged beyond it) stays open: its debt
 * counts in the wallet's balance. Closing is idempotent and conditional, so concurrent closers
 * (two nodes, two settlements) agree.
 */
import { sql } from 'kysely';
import type { TxContext } from '../context.ts';
import { whereIdIn } from '../db/dialect.ts';
import type { AccountRow } from '../ledger/ledger.table.ts';

/**
 * Whether a ledger account is spent, as `closeSpentGrants` decides it: the same rule for a caller
 * that already holds the account's current balances (read under lock) and closes only those.
 */
export function isSpentAccount(
  account: Pick<
    AccountRow,
    'credits_posted' | 'debits_posted' | 'debits_pending' | 'credits_pending'
  >,
): boolean {
  return (
    account.credits_posted === account.debits_posted &&
    account.debits_pending === 0n &&
    account.credits_pending === 0n
  );
}

/** Closes those of `ledger_account_ids`' grants that are spent; others are left as they are. */
export async function closeSpentGrants(
  tx: TxContext,
  ledger_account_ids: readonly string[],
): Promise<void> {
  if (ledger_account_ids.length === 0) return;
  await tx.db
    .updateTable('grants')
    .set({ closed_at_ms: tx.clock.now_ms() })
    .where('closed_at_ms', 'is', null)
    .where(whereIdIn(tx.dialect, 'ledger_account_id', [...new Set(ledger_account_ids)]))
    .where(
      sql<boolean>`exists (select 1 from ledger_accounts a where a.id = grants.ledger_account_id
        and a.credits_posted = a.debits_posted and a.debits_pending = 0 and a.credits_pending = 0)`,
    )
    .execute();
}
