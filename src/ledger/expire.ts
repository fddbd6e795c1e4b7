/**
 * Pending transfers expire on their own: once `expires_at_ms` has passed, the sweep releases the
 * pending amounts and marks the pending `expired`, after which it can be neither posted nor
 * voided. A post or void that arrives late expires the pending itself (`pending_transfer_expired`);
 * this sweep covers the pendings nobody comes back for. Bounded per call.
 */
import type { TxContext } from '../context.ts';
import { lockAccounts, lockPendings } from './locks.ts';
import { createBatchState, expirePending } from './transfer-batch.ts';
import { writeBatch } from './transfer-write.ts';

export type ExpiredPending = { transfer_id: string; reference: string | null; amount: bigint };

export type ExpireOptions = {
  limit: number;
  /**
   * Called with the references (job ids) of the due pendings before any ledger row is locked, so
   * the caller can lock its own rows first, as the lock order (`locks.ts`) puts them.
   */
  lock_references_first?: (references: string[]) => Promise<void>;
};

/**
 * Expires at most `limit` pending transfers that are due at the clock's now, oldest deadline
 * first, and returns them. Locks in the order of `locks.ts` (the caller's rows, then accounts,
 * then pending states), so it never deadlocks a writer that follows it. A pending resolved by
 * someone else while the sweep waited for a lock is skipped.
 */
export async function expirePendingTransfers(
  tx: TxContext,
  options: ExpireOptions,
): Promise<ExpiredPending[]> {
  const now_ms = tx.clock.now_ms();
  const due = await tx.db
    .selectFrom('ledger_pending')
    .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_pending.transfer_id')
    .selectAll('ledger_transfers')
    .where('ledger_pending.status', '=', 'pending')
    .where('ledger_pending.expires_at_ms', '<=', now_ms)
    .orderBy('ledger_pending.expires_at_ms')
    .limit(options.limit)
    .execute();
  if (due.length === 0) return [];
  const references = [...new Set(due.flatMap((t) => t.reference ?? []))].sort();
  await options.lock_references_first?.(references);
  const accounts = await lockAccounts(
    tx,
    due.flatMap((t) => [t.debit_account_id, t.credit_account_id]),
  );
  const pendings = await lockPendings(tx, due);
  const state = createBatchState({ now_ms, accounts, transfers: new Map(), pendings });
  const expired: ExpiredPending[] = [];
  for (const original of due) {
    const pending = pendings.get(original.id)!;
    if (pending.status !== 'pending') continue;
    const debit = accounts.get(original.debit_account_id)!;
    const credit = accounts.get(original.credit_account_id)!;
    expirePending(state, { original, pending, debit, credit });
    expired.push({
      transfer_id: original.id,
      reference: original.reference,
      amount: original.amount,
    });
  }
  await writeBatch(tx.db, tx.dialect, state);
  return expired;
}
