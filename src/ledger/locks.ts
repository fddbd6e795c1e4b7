/**
 * The one lock order. Every transaction that writes money takes its row locks in this order, and
 * only in this order (`FOR UPDATE` on PostgreSQL; SQLite's single writer needs none):
 *
 * 1. `jobs` rows, in id order (the worker's finish, a delete, the expiry sweep), or one `top_ups`
 *    row (a Stripe webhook crediting or debiting back a top-up, `payments/settle-top-up.ts`);
 * 2. the `accounts` row of the customer (admission: the concurrency slot);
 * 3. customer ledger accounts (wallets), in id order;
 * 4. operator ledger accounts (revenue shards, cash, promotions, write-off), in id order;
 * 5. `ledger_pending` state rows, in transfer id order.
 *
 * A lock may be skipped but never taken after a later one. Steps 3–5 are taken here
 * (`lockAccounts`, `lockPendings`), for `createTransfers`, the expiry sweep and a wallet's own
 * checks alike; steps 1–2 belong to their owners (`jobs/`), which take them before calling into
 * the ledger. Two transactions that follow the order cannot deadlock each other. A batch of
 * admissions (`jobs/admission/batch.ts`) follows it as one transaction does, taking each step for
 * the whole batch in one statement in id order; only a batch of units (each taking its locks in
 * its own turn) could meet another in a cycle, which is why PostgreSQL commits each unit alone and
 * the committer still retries a deadlock (`db/group-commit.ts`).
 */
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate, whereIdIn } from '../db/dialect.ts';
import { prepareQuery } from '../db/prepared.ts';
import { assert } from '../shared/assert.ts';
import { hasFlag, TRANSFER_FLAGS } from './codes.ts';
import type { AccountRow, PendingRow, TransferRow } from './ledger.table.ts';
import { isOperatorAccountId } from './operator-accounts.ts';

const LOCK_LEDGER_ACCOUNTS = prepareQuery((db, dialect, p: { ids: readonly string[] }) =>
  lockRowsForUpdate(
    dialect,
    db
      .selectFrom('ledger_accounts')
      .selectAll()
      .where(whereIdIn(dialect, 'id', p.ids))
      .orderBy('id'),
  ),
);

const LOCK_PENDINGS = prepareQuery((db, dialect, p: { ids: readonly string[] }) =>
  lockRowsForUpdate(
    dialect,
    db
      .selectFrom('ledger_pending')
      .selectAll()
      .where(whereIdIn(dialect, 'transfer_id', p.ids))
      .orderBy('transfer_id'),
  ),
);

/**
 * Ledger account ids in lock order: customer accounts before operator accounts, each group in
 * id order (a plain sort would put `operator:` before `wallet:`).
 */
export function inLockOrder(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  const customer = unique.filter((id) => !isOperatorAccountId(id)).sort();
  const operator = unique.filter(isOperatorAccountId).sort();
  return [...customer, ...operator];
}

/**
 * Locks and reads the accounts in lock order (steps 3 and 4); ids absent from the ledger are
 * absent from the map. One statement per group, so the rows are locked in the order asked.
 */
export async function lockAccounts(
  tx: TxContext,
  ids: readonly string[],
): Promise<Map<string, AccountRow>> {
  const found = new Map<string, AccountRow>();
  const ordered = inLockOrder(ids);
  const groups = [
    ordered.filter((id) => !isOperatorAccountId(id)),
    ordered.filter(isOperatorAccountId),
  ];
  for (const group of groups) {
    if (group.length === 0) continue;
    for (const row of await LOCK_LEDGER_ACCOUNTS.execute(tx.db, { ids: group })) {
      found.set(row.id, row);
    }
  }
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
  for (const row of await LOCK_PENDINGS.execute(tx.db, { ids: ids.sort() })) {
    found.set(row.transfer_id, row);
  }
  assert(found.size === ids.length, 'ledger: a pending transfer has no state row');
  return found;
}
