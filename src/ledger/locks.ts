/**
 * The ledger's row locks, in the one order every writer takes them: accounts in id order, then
 * pending states in id order (`FOR UPDATE` on PostgreSQL; SQLite's single writer needs none).
 * `createTransfers` and the expiry sweep both lock through here, so they never deadlock each other.
 */
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate, whereIdIn } from '../db/dialect.ts';
import { assert } from '../shared/assert.ts';
import { hasFlag, TRANSFER_FLAGS } from './codes.ts';
import type { AccountRow, PendingRow, TransferRow } from './ledger.table.ts';

/** Locks and reads the accounts; ids absent from the ledger are absent from the map. */
export async function lockAccounts(
  tx: TxContext,
  ids: readonly string[],
): Promise<Map<string, AccountRow>> {
  const found = new Map<string, AccountRow>();
  const sortedIds = [...new Set(ids)].sort();
  if (sortedIds.length === 0) return found;
  const query = tx.db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where(whereIdIn(tx.dialect, 'id', sortedIds))
    .orderBy('id');
  for (const row of await lockRowsForUpdate(tx.dialect, query).execute()) found.set(row.id, row);
  return found;
}

/** Locks and reads the state rows of those `transfers` that are pending transfers. */
export async function lockPendings(
  tx: TxContext,
  transfers: TransferRow[],
): Promise<Map<string, PendingRow>> {
  const ids = transfers
    .filter((row) => hasFlag(row.flags, TRANSFER_FLAGS.pending))
    .map((r) => r.id);
  const found = new Map<string, PendingRow>();
  if (ids.length === 0) return found;
  const query = tx.db
    .selectFrom('ledger_pending')
    .selectAll()
    .where(whereIdIn(tx.dialect, 'transfer_id', ids.sort()))
    .orderBy('transfer_id');
  for (const row of await lockRowsForUpdate(tx.dialect, query).execute()) {
    found.set(row.transfer_id, row);
  }
  assert(found.size === ids.length, 'ledger: a pending transfer has no state row');
  return found;
}
