/**
 * `createTransfers`: the ledger's one write path. A batch is applied in order, inside the
 * caller's transaction, with one result code per transfer. It reads everything it needs in a few
 * queries (accounts locked first, in id order), applies the rules in memory (`transfer-batch.ts`)
 * and writes back the new transfers, pending states and balances (`transfer-write.ts`) with
 * statements whose text does not depend on the batch size. Guarantees: every transfer id is applied at most once; a pending transfer resolves at
 * most once; a linked chain applies all or nothing; nothing is written for a failed item.
 */
import type { TxContext } from '../context.ts';
import { whereIdIn } from '../db/dialect.ts';
import { prepareQuery } from '../db/prepared.ts';
import { hasFlag, TRANSFER_FLAGS } from './codes.ts';
import { type CreateTransferResult, isApplied } from './errors.ts';
import type { AccountRow, TransferRow } from './ledger.table.ts';
import { lockAccounts, lockPendings } from './locks.ts';
import {
  applyTransfer,
  type BatchState,
  createBatchState,
  markBatch,
  rollbackBatch,
} from './transfer-batch.ts';
import {
  checkTransfer,
  isResolving,
  type NormalizedTransfer,
  normalizeTransfer,
  type TransferInput,
} from './transfer-rules.ts';
import { writeBatch } from './transfer-write.ts';

const TRANSFERS_BY_ID = prepareQuery((db, dialect, p: { ids: readonly string[] }) =>
  db
    .selectFrom('ledger_transfers')
    .selectAll()
    .where(whereIdIn(dialect, 'id', p.ids)),
);

export type { TransferInput } from './transfer-rules.ts';

/**
 * Applies `inputs` in order and returns one result per input. Requires a transaction: the batch
 * is atomic with whatever else the caller writes in it.
 */
export async function createTransfers(
  tx: TxContext,
  inputs: readonly TransferInput[],
): Promise<CreateTransferResult[]> {
  return (await createTransfersWithBalances(tx, inputs)).results;
}

/**
 * `createTransfers`, also returning the balances of every account the batch touched or named,
 * as they stand after it (read under their locks, so current for the rest of the transaction):
 * a caller that decides on an account's balance needs no second read. `known_transfers` are
 * rows of `ledger_transfers` the caller already read (the pending transfers it resolves):
 * transfers are immutable, so they are not read again.
 */
export async function createTransfersWithBalances(
  tx: TxContext,
  inputs: readonly TransferInput[],
  options: { known_transfers?: readonly TransferRow[] } = {},
): Promise<{ results: CreateTransferResult[]; accounts: ReadonlyMap<string, AccountRow> }> {
  if (inputs.length === 0) return { results: [], accounts: new Map() };
  if (inputs.length > tx.config.limits.ledger_batch_size_max) {
    return { results: inputs.map(() => 'batch_too_large'), accounts: new Map() };
  }
  const transfers = inputs.map(normalizeTransfer);
  const staticResults = transfers.map((t) => checkTransfer(t, tx.config.limits.hold_ttl_ms_max));
  const valid = transfers.filter((_, index) => staticResults[index] === null);
  const state = await loadBatchState(tx, valid, options.known_transfers ?? []);
  const results = applyInOrder(state, transfers, staticResults);
  await writeBatch(tx.db, tx.dialect, state);
  return { results, accounts: state.accounts };
}

function isLinked(t: NormalizedTransfer): boolean {
  return typeof t.flags === 'bigint' && hasFlag(t.flags, TRANSFER_FLAGS.linked);
}

function applyInOrder(
  state: BatchState,
  transfers: NormalizedTransfer[],
  staticResults: Array<CreateTransferResult | null>,
): CreateTransferResult[] {
  const results: CreateTransferResult[] = new Array(transfers.length);
  const applyOne = (index: number) =>
    staticResults[index] ?? applyTransfer(state, transfers[index]!);
  for (let start = 0; start < transfers.length; ) {
    let end = start;
    while (end < transfers.length - 1 && isLinked(transfers[end]!)) end++;
    const chainOpen = isLinked(transfers[end]!);
    const mark = markBatch(state);
    let failedAt = -1;
    for (let index = start; index <= end; index++) {
      const result = chainOpen && index === end ? 'linked_event_chain_open' : applyOne(index);
      results[index] = result;
      if (!isApplied(result)) {
        failedAt = index;
        break;
      }
    }
    if (failedAt >= 0 && end > start) {
      rollbackBatch(state, mark);
      for (let index = start; index <= end; index++) {
        if (index !== failedAt) results[index] = 'linked_event_failed';
      }
    }
    start = end + 1;
  }
  return results;
}

/**
 * Reads the rows a batch needs. Order matters on PostgreSQL: the pending transfers named by
 * `pending_id` are read first (transfers are immutable) to learn their accounts; then every
 * account is locked in id order; only then are existing transfers and pending states read, so a
 * concurrent transaction that resolved a pending or inserted an id is seen after its commit. The
 * pending transfers found by the first read (or known to the caller) are not read again: they
 * cannot have changed.
 */
async function loadBatchState(
  tx: TxContext,
  valid: NormalizedTransfer[],
  known: readonly TransferRow[],
): Promise<BatchState> {
  const pendingIds = valid.filter((t) => isResolving(t.flags)).map((t) => t.pending_id!);
  const knownById = new Map(known.map((row) => [row.id, row]));
  const referenced = await selectTransfers(
    tx,
    pendingIds.filter((id) => !knownById.has(id)),
  );
  for (const id of pendingIds) {
    const row = knownById.get(id);
    if (row !== undefined) referenced.set(id, row);
  }
  const accountIds = new Set<string>();
  for (const t of valid) {
    if (t.debit_account_id !== null) accountIds.add(t.debit_account_id);
    if (t.credit_account_id !== null) accountIds.add(t.credit_account_id);
  }
  for (const row of referenced.values()) {
    accountIds.add(row.debit_account_id);
    accountIds.add(row.credit_account_id);
  }
  const accounts = await lockAccounts(tx, [...accountIds]);
  const unread = [...valid.map((t) => t.id), ...pendingIds].filter((id) => !referenced.has(id));
  const transfers = await selectTransfers(tx, unread);
  for (const [id, row] of referenced) transfers.set(id, row);
  const pendings = await lockPendings(tx, [...transfers.values()]);
  return createBatchState({ now_ms: tx.clock.now_ms(), accounts, transfers, pendings });
}

/**
 * Each read binds its whole id list as one parameter (`whereIdIn`): a batch is bounded by
 * `ledger_batch_size_max`, and the statement text stays the same for every batch size.
 */
async function selectTransfers(
  tx: TxContext,
  ids: readonly string[],
): Promise<Map<string, TransferRow>> {
  const found = new Map<string, TransferRow>();
  if (ids.length === 0) return found;
  const rows = await TRANSFERS_BY_ID.execute(tx.db, { ids: [...new Set(ids)] });
  for (const row of rows) found.set(row.id, row);
  return found;
}
