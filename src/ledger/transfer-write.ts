/**
 * Writes back what a batch changed: new transfers (append-only), new and resolved pending states,
 * and the touched accounts' balances, each as multi-row statements. Balances are written as
 * absolute values, which is safe because the batch holds the rows' locks (PostgreSQL `FOR UPDATE`,
 * SQLite's single writer).
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/database.ts';
import { BOUND_PARAMETERS_MAX } from '../db/dialect.ts';
import type { BatchState } from './transfer-batch.ts';

function chunksOf<T>(items: readonly T[], columnCount: number): T[][] {
  const size = Math.floor(BOUND_PARAMETERS_MAX / columnCount);
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}

export async function writeBatch(db: Transaction<DB>, state: BatchState): Promise<void> {
  for (const chunk of chunksOf(state.new_transfers, 11)) {
    await db.insertInto('ledger_transfers').values(chunk).execute();
  }
  const pendings = [...state.touched_pending_ids].map((id) => state.pendings.get(id)!);
  for (const chunk of chunksOf(pendings, 5)) {
    await db
      .insertInto('ledger_pending')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('transfer_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          resolved_by_id: eb.ref('excluded.resolved_by_id'),
          resolved_at_ms: eb.ref('excluded.resolved_at_ms'),
        })),
      )
      .execute();
  }
  const accounts = [...state.touched_account_ids].map((id) => state.accounts.get(id)!);
  for (const chunk of chunksOf(accounts, 10)) {
    await db
      .insertInto('ledger_accounts')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          debits_pending: eb.ref('excluded.debits_pending'),
          debits_posted: eb.ref('excluded.debits_posted'),
          credits_pending: eb.ref('excluded.credits_pending'),
          credits_posted: eb.ref('excluded.credits_posted'),
        })),
      )
      .execute();
  }
}
