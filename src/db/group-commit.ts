/**
 * Group commit: transaction scheduling. Concurrent writers queue here and the committer runs what
 * is queued as ONE database transaction, so durability (the fsync of a commit) is paid once per
 * batch instead of once per request. Queued transfer calls are merged into a single
 * `createTransfers` batch; queued units (functions that check and write several tables) each run
 * in a savepoint, so one unit's failure rolls back only itself. No caller's promise settles before
 * the commit is durable.
 *
 * Retryable failures (a PostgreSQL deadlock or serialization failure) never reach a caller while a
 * retry is left: a unit that hits one rolls back to its savepoint and runs again (at most
 * `UNIT_ATTEMPTS_MAX` times); if it still fails, the whole batch is rolled back and run again in a
 * fresh transaction (`withTransaction`'s attempts), and if that fails too, every item of the batch
 * runs alone in its own transaction. Every writer takes its row locks in the order of
 * `src/ledger/locks.ts`, so within one unit there is no cycle; a batch holds the locks of all its
 * units until it commits, which is why a cycle across two batches is still possible and retried.
 *
 * Lanes (PostgreSQL): a unit may name the customer account it writes for. Its lane is a function
 * of that account's revenue shard, so two lanes never share a customer's rows nor a revenue
 * shard, and the lanes' transactions commit in parallel over the pool, each lane one at a time.
 * Units that name no account and transfer calls use lane 0. SQLite has one writer: one lane.
 * On PostgreSQL a unit commits ALONE in its transaction (transfer calls are still merged): one
 * unit takes its row locks in the one order of `locks.ts` and cannot deadlock with another, but
 * a batch holds the locks of several units, each taken in its unit's turn, so two gateway nodes
 * whose batches share customers or revenue shards lock them in opposite orders and deadlock
 * (measured: two nodes admitted a quarter of one node's jobs, in a storm of retries). The fsync
 * is still shared: PostgreSQL flushes the WAL of concurrent commits together.
 *
 * Batched units (`batch(handler, item)`): a kind of work that knows how to run many queued items
 * with a handful of set-based statements (admission: `jobs/admission/`). A run of consecutive
 * items of one handler is given to `handler.runMany` inside ONE savepoint, which answers per item:
 * a value, a refusal (that item wrote nothing; the others commit), or `alone` (the item is not
 * covered: it runs as an ordinary unit, `handler.runOne`, after the run). If `runMany` throws, the
 * savepoint is rolled back; a retryable error is rethrown (the batch is run again, as for units),
 * an error marked `runAlone` makes every item of the run run alone, any other rejects the run.
 * On PostgreSQL a run of batched items is committed as one transaction (its items of one lane, up
 * to `group_commit_batch_size_max`), and the items answered `alone` each commit in a transaction
 * of their own afterwards. A run cannot deadlock with another transaction although it holds many
 * callers' locks: `runMany` takes each step of the lock order of `ledger/locks.ts` for the whole
 * run in ONE statement, in id order (all `accounts` rows, then all customer ledger accounts, then
 * the operator accounts in `createTransfers`), so the run as a whole takes its locks in the one
 * global order, exactly as one unit does, and never a lock of an earlier step after a later one.
 */
import { sql } from 'kysely';
import type { Limits } from '../config.ts';
import { type BaseContext, type TxContext, withTransaction } from '../context.ts';
import { hasFlag, TRANSFER_FLAGS } from '../ledger/codes.ts';
import type { CreateTransferResult } from '../ledger/errors.ts';
import { revenueShardOf } from '../ledger/operator-accounts.ts';
import { createTransfers, type TransferInput } from '../ledger/transfers.ts';
import { isRetryableTransactionError } from './dialect.ts';

/** Runs of one unit inside its batch's transaction before the whole batch is run again. */
export const UNIT_ATTEMPTS_MAX = 3;
/**
 * Transactions of the committer at once on PostgreSQL, one per revenue shard (8 by default). Each
 * holds a connection of the committer's own pool (`committer_db` in `connect.ts`, 8) until it
 * commits; the other pool (10) serves reads and the transactions outside the committer.
 */
export const POSTGRES_LANE_COUNT = 8;

export type UnitOptions = {
  /** The customer account the unit writes for: picks its lane (see the module header). */
  account_id?: string;
};

/** What `runMany` answers for one item. */
export type BatchOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; err: unknown }
  /** Not covered by the set-based path: run it by itself (`runOne`). */
  | { alone: true };

/**
 * A kind of work the committer runs many at once (see the module header). `runMany` must write
 * nothing for an item it refuses or answers `alone`, and must take its row locks set-based, in
 * the lock order of `ledger/locks.ts`; `runOne(tx, item)` does one item's work as a unit would.
 */
export type BatchHandler<I, T> = {
  runMany: (tx: TxContext, items: readonly I[]) => Promise<Array<BatchOutcome<T>>>;
  runOne: (tx: TxContext, item: I) => Promise<T>;
};

/** Thrown by `runMany` when every item of its run should run alone instead (nothing is lost). */
export class RunAloneError extends Error {
  override name = 'RunAloneError';
}

export type GroupCommitter = {
  /** Applies transfers in the next group commit; one result per transfer, after the commit. */
  createTransfers: (transfers: readonly TransferInput[]) => Promise<CreateTransferResult[]>;
  /** Runs `fn` in the next group commit, inside its own savepoint; resolves after the commit. */
  run: <T>(fn: (tx: TxContext) => Promise<T>, options?: UnitOptions) => Promise<T>;
  /**
   * Runs `item` in the next group commit together with the other queued items of `handler`;
   * resolves after the commit with its value, or rejects with its refusal alone.
   */
  batch: <I, T>(handler: BatchHandler<I, T>, item: I, options?: UnitOptions) => Promise<T>;
  /** Commits what is queued, then refuses new work. */
  close: () => Promise<void>;
};

/**
 * Told of every batch as its transaction starts (with the number of queued writes in it); the
 * function it returns is called once that transaction has committed or rolled back. The metrics
 * pass one in; the committer knows nothing of them.
 */
export type GroupCommitObserver = { batchStarted: (batch_size: number) => () => void };

const NO_OBSERVER: GroupCommitObserver = { batchStarted: () => () => {} };

type Settle = { resolve: (value: never) => void; reject: (err: unknown) => void };
type QueuedTransfers = Settle & { kind: 'transfers'; transfers: readonly TransferInput[] };
type QueuedUnit = Settle & { kind: 'unit'; fn: (tx: TxContext) => Promise<unknown> };
type AnyHandler = BatchHandler<unknown, unknown>;
type QueuedBatched = Settle & { kind: 'batched'; handler: AnyHandler; item: unknown };
type Queued = QueuedTransfers | QueuedUnit | QueuedBatched;
type Work =
  | { kind: 'transfers'; transfers: readonly TransferInput[] }
  | { kind: 'unit'; fn: (tx: TxContext) => Promise<unknown> }
  | { kind: 'batched'; handler: AnyHandler; item: unknown };
/** `deferred`: a batched item to commit alone after its batch (PostgreSQL). */
type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown } | { deferred: true };

export class CommitterClosedError extends Error {
  override name = 'CommitterClosedError';
}

export function createGroupCommitter(
  ctx: BaseContext,
  limits: Limits,
  observer: GroupCommitObserver = NO_OBSERVER,
): GroupCommitter {
  const laneCount = ctx.dialect === 'postgres' ? POSTGRES_LANE_COUNT : 1;
  const lanes = Array.from({ length: laneCount }, () => createLane(ctx, limits, observer));
  const laneOf = (options: UnitOptions | undefined) => {
    const account_id = options?.account_id;
    if (laneCount === 1 || account_id === undefined) return lanes[0]!;
    return lanes[revenueShardOf(account_id, limits.revenue_shard_count) % laneCount]!;
  };
  let closed = false;
  const enqueue = <T>(lane: Lane, work: Work): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new CommitterClosedError('the group committer is closed'));
      lane.push({ ...work, resolve: resolve as (value: never) => void, reject });
    });

  return {
    createTransfers: (transfers) => enqueue(lanes[0]!, { kind: 'transfers', transfers }),
    run: (fn, options) => enqueue(laneOf(options), { kind: 'unit', fn }),
    batch: <I, T>(handler: BatchHandler<I, T>, item: I, options?: UnitOptions) =>
      enqueue<T>(laneOf(options), {
        kind: 'batched',
        handler: handler as unknown as AnyHandler,
        item,
      }),
    close: async () => {
      closed = true;
      await Promise.all(lanes.map((lane) => lane.drain()));
    },
  };
}

type Lane = { push: (item: Queued) => void; drain: () => Promise<void> };

/** One queue committed one batch at a time. */
function createLane(ctx: BaseContext, limits: Limits, observer: GroupCommitObserver): Lane {
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  const schedule = () => {
    if (flushing !== null || timer !== null) return;
    timer = setTimeout(flush, limits.group_commit_wait_ms);
  };
  const flush = () => {
    timer = null;
    if (flushing !== null || queue.length === 0) return;
    const batch = takeBatch(queue, limits, ctx.dialect === 'postgres');
    queue = queue.slice(batch.length);
    flushing = commitBatch(ctx, batch, observer).finally(() => {
      flushing = null;
      if (queue.length > 0) setImmediate(flush);
    });
  };
  return {
    push: (item) => {
      queue.push(item);
      schedule();
    },
    drain: async () => {
      while (queue.length > 0 || flushing !== null || timer !== null) {
        if (timer !== null) {
          clearTimeout(timer);
          flush();
        }
        await (flushing ?? new Promise((resolve) => setImmediate(resolve)));
      }
    },
  };
}

/**
 * Takes queued items from the front while the batch stays within its limits (at least one). With
 * `unit_alone` (PostgreSQL, see the module header) a unit is a batch by itself, a run of batched
 * items of one handler is a batch by itself, and a run of transfer calls stops before either.
 */
function takeBatch(queue: Queued[], limits: Limits, unit_alone: boolean): Queued[] {
  const first = queue[0];
  if (unit_alone && first?.kind === 'unit') return queue.slice(0, 1);
  if (unit_alone && first?.kind === 'batched') {
    let end = 1;
    while (
      end < queue.length &&
      end < limits.group_commit_batch_size_max &&
      sameRun(first, queue[end]!)
    ) {
      end++;
    }
    return queue.slice(0, end);
  }
  let transferCount = 0;
  let index = 0;
  for (; index < queue.length && index < limits.group_commit_batch_size_max; index++) {
    const item = queue[index]!;
    if (unit_alone && item.kind !== 'transfers') break;
    const size = item.kind === 'transfers' ? item.transfers.length : 0;
    if (index > 0 && transferCount + size > limits.ledger_batch_size_max) break;
    transferCount += size;
  }
  return queue.slice(0, index);
}

function sameRun(first: QueuedBatched, item: Queued): boolean {
  return item.kind === 'batched' && item.handler === first.handler;
}

/** A call whose last transfer is linked must not chain into the next caller's transfers. */
function endsOpen(item: QueuedTransfers): boolean {
  const last = item.transfers[item.transfers.length - 1];
  return last !== undefined && hasFlag(last.flags ?? 0n, TRANSFER_FLAGS.linked);
}

async function commitBatch(
  ctx: BaseContext,
  batch: Queued[],
  observer: GroupCommitObserver,
): Promise<void> {
  let outcomes: Outcome[];
  const batchEnded = observer.batchStarted(batch.length);
  const deferAlone = ctx.dialect === 'postgres';
  try {
    outcomes = await withTransaction(ctx, (tx) => runBatch(tx, batch, deferAlone));
    batchEnded();
  } catch (err) {
    batchEnded();
    if (batch.length > 1 && isRetryableTransactionError(err)) {
      // The batch kept meeting another transaction's locks: each item alone holds fewer.
      for (const item of batch) await commitBatch(ctx, [item], observer);
      return;
    }
    for (const item of batch) item.reject(err);
    return;
  }
  const deferred: QueuedUnit[] = [];
  batch.forEach((item, index) => {
    const outcome = outcomes[index]!;
    if ('deferred' in outcome) deferred.push(aloneUnit(item as QueuedBatched));
    else if (outcome.ok) item.resolve(outcome.value as never);
    else item.reject(outcome.err);
  });
  // PostgreSQL: an item the set-based path did not cover commits alone, as any unit does there.
  for (const unit of deferred) await commitBatch(ctx, [unit], observer);
}

/** A batched item as an ordinary unit: its handler's `runOne`, settling the same promise. */
function aloneUnit(item: QueuedBatched): QueuedUnit {
  return {
    kind: 'unit',
    fn: (tx) => item.handler.runOne(tx, item.item),
    resolve: item.resolve,
    reject: item.reject,
  };
}

async function runBatch(tx: TxContext, batch: Queued[], deferAlone: boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(batch.length);
  for (let start = 0; start < batch.length; ) {
    const item = batch[start]!;
    if (item.kind === 'unit') {
      outcomes[start] = await runUnit(tx, item, start);
      start++;
      continue;
    }
    if (item.kind === 'batched') {
      let end = start + 1;
      while (end < batch.length && sameRun(item, batch[end]!)) end++;
      const run = batch.slice(start, end) as QueuedBatched[];
      const results = await runBatched(tx, run, start);
      for (let index = 0; index < run.length; index++) {
        const result = results[index]!;
        if (!('alone' in result)) outcomes[start + index] = result;
        else if (deferAlone) outcomes[start + index] = { deferred: true };
        else outcomes[start + index] = await runUnit(tx, aloneUnit(run[index]!), start + index);
      }
      start = end;
      continue;
    }
    let end = start + 1;
    while (
      end < batch.length &&
      batch[end]!.kind === 'transfers' &&
      !endsOpen(batch[end - 1] as QueuedTransfers)
    ) {
      end++;
    }
    const group = batch.slice(start, end) as QueuedTransfers[];
    const results = await createTransfers(
      tx,
      group.flatMap((queued) => queued.transfers),
    );
    let offset = 0;
    group.forEach((queued, index) => {
      outcomes[start + index] = {
        ok: true,
        value: results.slice(offset, offset + queued.transfers.length),
      };
      offset += queued.transfers.length;
    });
    start = end;
  }
  return outcomes;
}

/**
 * Runs a run of batched items through their handler's `runMany` in one savepoint (see the module
 * header for what each way of failing does).
 */
async function runBatched(
  tx: TxContext,
  run: QueuedBatched[],
  index: number,
): Promise<Array<BatchOutcome<unknown>>> {
  const savepoint = sql.id(`batch_${index}`);
  await sql`savepoint ${savepoint}`.execute(tx.db);
  try {
    const results = await run[0]!.handler.runMany(
      tx,
      run.map((queued) => queued.item),
    );
    await sql`release savepoint ${savepoint}`.execute(tx.db);
    return results;
  } catch (err) {
    await sql`rollback to savepoint ${savepoint}`.execute(tx.db);
    await sql`release savepoint ${savepoint}`.execute(tx.db);
    if (isRetryableTransactionError(err)) throw err;
    if (err instanceof RunAloneError) return run.map(() => ({ alone: true }));
    return run.map(() => ({ ok: false, err }));
  }
}

/**
 * Runs one unit in its own savepoint. A deadlock or serialization failure rolls back to the
 * savepoint (releasing the unit's locks) and runs the unit again; after `UNIT_ATTEMPTS_MAX` runs
 * it is thrown, which rolls back the batch so it can be run again from the start. Any other error
 * is this unit's outcome alone.
 */
async function runUnit(tx: TxContext, item: QueuedUnit, index: number): Promise<Outcome> {
  const savepoint = sql.id(`unit_${index}`);
  for (let attempt = 1; ; attempt++) {
    await sql`savepoint ${savepoint}`.execute(tx.db);
    try {
      const value = await item.fn(tx);
      await sql`release savepoint ${savepoint}`.execute(tx.db);
      return { ok: true, value };
    } catch (err) {
      await sql`rollback to savepoint ${savepoint}`.execute(tx.db);
      await sql`release savepoint ${savepoint}`.execute(tx.db);
      if (!isRetryableTransactionError(err)) return { ok: false, err };
      if (attempt >= UNIT_ATTEMPTS_MAX) throw err;
    }
  }
}
