/**
 * Phase (c): the ceiling on SQLite. The rows Tollgate writes for a hold-then-settle pair (two
 * transfer rows, a pending state inserted then resolved, four balance updates), written with raw
 * better-sqlite3 prepared statements and no ledger logic beyond the conditional balance update,
 * in ONE transaction per large batch. No real ledger can beat it on the same schema and disk.
 */
import SQLite from 'better-sqlite3';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES } from '../../src/db/connect.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../../src/ledger/codes.ts';
import {
  HOLD_AMOUNT_MICRO_USD,
  HOLD_TIMEOUT_MS,
  type Pair,
  pairAt,
  progress,
  SETTLE_AMOUNT_MICRO_USD,
} from './workload.ts';

/** Pairs per transaction: 8,190 transfers, Tollgate's `ledger_batch_size_max`. */
const CEILING_PAIRS_PER_BATCH = 4_095;

/**
 * Opens the file with the same settings as `openSqlite` (WAL, synchronous=FULL, foreign keys,
 * the same WAL auto-checkpoint threshold), so the ceiling's commits cost what Tollgate's do.
 */
export function openRawSqlite(filePath: string): SQLite.Database {
  const sqlite = new SQLite(filePath);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
  return sqlite;
}

function prepareStatements(sqlite: SQLite.Database) {
  return {
    reserve: sqlite.prepare(
      `update ledger_accounts set debits_pending = debits_pending + ?
       where id = ? and credits_posted - debits_posted - debits_pending >= ?`,
    ),
    creditPending: sqlite.prepare(
      'update ledger_accounts set credits_pending = credits_pending + ? where id = ?',
    ),
    insertTransfer: sqlite.prepare(
      `insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, pending_id,
       flags, timeout_ms, code, reference, currency, created_at_ms)
       values (?, ?, ?, ?, ?, ?, ?, ?, null, 'usd_micro', ?)`,
    ),
    insertPending: sqlite.prepare(
      `insert into ledger_pending (transfer_id, status, expires_at_ms, resolved_by_id,
       resolved_at_ms) values (?, 'pending', ?, null, null)`,
    ),
    resolvePending: sqlite.prepare(
      `update ledger_pending set status = 'posted', resolved_by_id = ?, resolved_at_ms = ?
       where transfer_id = ? and status = 'pending'`,
    ),
    postDebit: sqlite.prepare(
      `update ledger_accounts set debits_pending = debits_pending - ?,
       debits_posted = debits_posted + ? where id = ?`,
    ),
    postCredit: sqlite.prepare(
      `update ledger_accounts set credits_pending = credits_pending - ?,
       credits_posted = credits_posted + ? where id = ?`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function hold(statements: Statements, pair: Pair, now_ms: bigint): void {
  const amount = HOLD_AMOUNT_MICRO_USD;
  const reserved = statements.reserve.run(amount, pair.wallet_id, amount);
  if (reserved.changes !== 1) throw new Error(`ceiling hold: ${pair.wallet_id} is short`);
  statements.creditPending.run(amount, pair.revenue_id);
  statements.insertTransfer.run(
    ...[pair.hold_id, pair.wallet_id, pair.revenue_id, amount, null],
    ...[TRANSFER_FLAGS.pending, HOLD_TIMEOUT_MS, TRANSFER_CODES.hold, now_ms],
  );
  statements.insertPending.run(pair.hold_id, now_ms + HOLD_TIMEOUT_MS);
}

function settle(statements: Statements, pair: Pair, now_ms: bigint): void {
  const amount = SETTLE_AMOUNT_MICRO_USD;
  const resolved = statements.resolvePending.run(pair.settle_id, now_ms, pair.hold_id);
  if (resolved.changes !== 1) throw new Error(`ceiling settle: ${pair.hold_id} is not pending`);
  statements.postDebit.run(HOLD_AMOUNT_MICRO_USD, amount, pair.wallet_id);
  statements.postCredit.run(HOLD_AMOUNT_MICRO_USD, amount, pair.revenue_id);
  statements.insertTransfer.run(
    ...[pair.settle_id, pair.wallet_id, pair.revenue_id, amount, pair.hold_id],
    ...[TRANSFER_FLAGS.post_pending, 0n, TRANSFER_CODES.settle, now_ms],
  );
}

export type CeilingOptions = { run_tag: string; pair_count: number; shard_count: number };

/** Runs `pair_count` pairs: per transaction, a batch of holds followed by their settles. */
export function runCeilingLoad(sqlite: SQLite.Database, options: CeilingOptions): void {
  const statements = prepareStatements(sqlite);
  const runBatch = sqlite.transaction((start: number, end: number) => {
    const now_ms = BigInt(Date.now());
    const pairs: Pair[] = [];
    for (let n = start; n < end; n++) {
      pairs.push(pairAt({ run_tag: options.run_tag, n, shard_count: options.shard_count }));
    }
    for (const pair of pairs) hold(statements, pair, now_ms);
    for (const pair of pairs) settle(statements, pair, now_ms);
  });
  const batchCount = Math.ceil(options.pair_count / CEILING_PAIRS_PER_BATCH);
  for (let batch = 0; batch < batchCount; batch++) {
    const start = batch * CEILING_PAIRS_PER_BATCH;
    runBatch.immediate(start, Math.min(options.pair_count, start + CEILING_PAIRS_PER_BATCH));
  }
  progress(`  ${options.run_tag}: ${options.pair_count} pairs done in ${batchCount} batches`);
}
