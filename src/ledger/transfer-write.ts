/**
 * Writes back what a batch changed: new transfers (append-only), new and resolved pending states,
 * and the touched accounts' balances. Balances are written as absolute values with a plain
 * UPDATE, which is safe because the batch holds the rows' locks (PostgreSQL `FOR UPDATE`,
 * SQLite's single writer) and loaded them. The statements' text does not depend on the batch
 * size (`db/row-writes.ts`): single-row cached statements on SQLite, one `unnest` statement per
 * table on PostgreSQL.
 */

import type { Transaction } from 'kysely';
import type { Dialect } from '../db/connect.ts';
import type { DB } from '../db/database.ts';
import { insertRows, type RowTable, updateRows } from '../db/row-writes.ts';
import type { AccountRow, PendingRow, TransferRow } from './ledger.table.ts';
import type { BatchState } from './transfer-batch.ts';

const TRANSFERS: RowTable<TransferRow> = {
  name: 'ledger_transfers',
  columns: {
    id: 'text',
    debit_account_id: 'text',
    credit_account_id: 'text',
    amount: 'int8',
    pending_id: 'text',
    flags: 'int8',
    timeout_ms: 'int8',
    code: 'int8',
    reference: 'text',
    currency: 'text',
    created_at_ms: 'int8',
  },
};

const PENDINGS: RowTable<PendingRow> = {
  name: 'ledger_pending',
  columns: {
    transfer_id: 'text',
    status: 'text',
    expires_at_ms: 'int8',
    resolved_by_id: 'text',
    resolved_at_ms: 'int8',
  },
};

const ACCOUNTS: RowTable<AccountRow> = {
  name: 'ledger_accounts',
  columns: {
    id: 'text',
    currency: 'text',
    code: 'int8',
    flags: 'int8',
    owner_id: 'text',
    debits_pending: 'int8',
    debits_posted: 'int8',
    credits_pending: 'int8',
    credits_posted: 'int8',
    created_at_ms: 'int8',
  },
};

export async function writeBatch(
  db: Transaction<DB>,
  dialect: Dialect,
  state: BatchState,
): Promise<void> {
  await insertRows(db, dialect, TRANSFERS, state.new_transfers);
  const pendings = [...state.touched_pending_ids].map((id) => state.pendings.get(id)!);
  // A pending created in this batch is inserted; one created earlier has its resolution set.
  await insertRows(db, dialect, PENDINGS, pendings, {
    key: 'transfer_id',
    update: ['status', 'resolved_by_id', 'resolved_at_ms'],
  });
  const accounts = [...state.touched_account_ids].map((id) => state.accounts.get(id)!);
  await updateRows(db, dialect, ACCOUNTS, accounts, {
    key: 'id',
    update: ['debits_pending', 'debits_posted', 'credits_pending', 'credits_posted'],
  });
}
