/**
 * The naive ledger that phases (a) and the PostgreSQL baseline measure: one database transaction
 * per transfer, written the obvious way on the same stack and schema as Tollgate (Kysely over the
 * connection `openSqlite`/`openPostgres` makes). A hold reads the wallet (locked on PostgreSQL),
 * checks the available balance, inserts the transfer and its pending state and updates both
 * accounts; a settle reads the pending state, checks it, and moves pending to posted.
 */
import { sql } from 'kysely';
import { type AppContext, type TxContext, withTransaction } from '../../src/context.ts';
import { lockRowsForUpdate } from '../../src/db/dialect.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../../src/ledger/codes.ts';
import {
  HOLD_AMOUNT_MICRO_USD,
  HOLD_TIMEOUT_MS,
  type LoadOptions,
  type Pair,
  pairAt,
  runCallers,
  SETTLE_AMOUNT_MICRO_USD,
} from './workload.ts';

function transferRow(tx: TxContext, pair: Pair, phase: 'hold' | 'settle') {
  const hold = phase === 'hold';
  return {
    id: hold ? pair.hold_id : pair.settle_id,
    debit_account_id: pair.wallet_id,
    credit_account_id: pair.revenue_id,
    amount: hold ? HOLD_AMOUNT_MICRO_USD : SETTLE_AMOUNT_MICRO_USD,
    pending_id: hold ? null : pair.hold_id,
    flags: hold ? TRANSFER_FLAGS.pending : TRANSFER_FLAGS.post_pending,
    timeout_ms: hold ? HOLD_TIMEOUT_MS : 0n,
    code: hold ? TRANSFER_CODES.hold : TRANSFER_CODES.settle,
    reference: null,
    currency: 'usd_micro',
    created_at_ms: tx.clock.now_ms(),
  };
}

async function naiveHold(tx: TxContext, pair: Pair): Promise<void> {
  const query = tx.db
    .selectFrom('ledger_accounts')
    .select(['credits_posted', 'debits_posted', 'debits_pending'])
    .where('id', '=', pair.wallet_id);
  const wallet = await lockRowsForUpdate(tx.dialect, query).executeTakeFirstOrThrow();
  const available = wallet.credits_posted - wallet.debits_posted - wallet.debits_pending;
  if (available < HOLD_AMOUNT_MICRO_USD) throw new Error(`naive hold: ${pair.wallet_id} is short`);
  const row = transferRow(tx, pair, 'hold');
  await tx.db.insertInto('ledger_transfers').values(row).execute();
  await tx.db
    .insertInto('ledger_pending')
    .values({
      transfer_id: row.id,
      status: 'pending',
      expires_at_ms: row.created_at_ms + HOLD_TIMEOUT_MS,
      resolved_by_id: null,
      resolved_at_ms: null,
    })
    .execute();
  await tx.db
    .updateTable('ledger_accounts')
    .set({ debits_pending: sql<bigint>`debits_pending + ${row.amount}` })
    .where('id', '=', pair.wallet_id)
    .execute();
  await tx.db
    .updateTable('ledger_accounts')
    .set({ credits_pending: sql<bigint>`credits_pending + ${row.amount}` })
    .where('id', '=', pair.revenue_id)
    .execute();
}

async function naiveSettle(tx: TxContext, pair: Pair): Promise<void> {
  const query = tx.db
    .selectFrom('ledger_pending')
    .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_pending.transfer_id')
    .select(['status', 'expires_at_ms', 'amount'])
    .where('transfer_id', '=', pair.hold_id);
  const held = await lockRowsForUpdate(tx.dialect, query).executeTakeFirstOrThrow();
  const row = transferRow(tx, pair, 'settle');
  if (held.status !== 'pending') throw new Error(`naive settle: ${pair.hold_id} is ${held.status}`);
  if (held.expires_at_ms !== null && row.created_at_ms >= held.expires_at_ms) {
    throw new Error(`naive settle: ${pair.hold_id} expired`);
  }
  if (row.amount > held.amount) throw new Error(`naive settle: ${pair.settle_id} exceeds hold`);
  await tx.db.insertInto('ledger_transfers').values(row).execute();
  await tx.db
    .updateTable('ledger_pending')
    .set({ status: 'posted', resolved_by_id: row.id, resolved_at_ms: row.created_at_ms })
    .where('transfer_id', '=', pair.hold_id)
    .execute();
  await tx.db
    .updateTable('ledger_accounts')
    .set({
      debits_pending: sql<bigint>`debits_pending - ${held.amount}`,
      debits_posted: sql<bigint>`debits_posted + ${row.amount}`,
    })
    .where('id', '=', pair.wallet_id)
    .execute();
  await tx.db
    .updateTable('ledger_accounts')
    .set({
      credits_pending: sql<bigint>`credits_pending - ${held.amount}`,
      credits_posted: sql<bigint>`credits_posted + ${row.amount}`,
    })
    .where('id', '=', pair.revenue_id)
    .execute();
}

export async function runNaiveLoad(ctx: AppContext, options: LoadOptions): Promise<void> {
  await runCallers(options, async (n) => {
    const pair = pairAt({ run_tag: options.run_tag, n, shard_count: options.shard_count });
    await withTransaction(ctx, (tx) => naiveHold(tx, pair));
    await withTransaction(ctx, (tx) => naiveSettle(tx, pair));
  });
}
