/**
 * The one context object passed everywhere: config, database, clock, logger, id generator and the
 * group committer. `TxContext` is the same object inside a transaction; a function that checks
 * and then mutates money takes a `TxContext`, so calling it outside a transaction fails to compile.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { type CacheHub, createCacheHub } from './db/cache/cache-hub.ts';
import type { Database, Dialect } from './db/connect.ts';
import type { DB } from './db/database.ts';
import { isRetryableTransactionError } from './db/dialect.ts';
import {
  createGroupCommitter,
  type GroupCommitObserver,
  type GroupCommitter,
} from './db/group-commit.ts';
import type { Clock } from './shared/clock.ts';
import type { Ids } from './shared/ids.ts';
import { createLogger } from './shared/logger.ts';
import { createOutcomeCounts, type OutcomeCounts } from './shared/outcome-counts.ts';

/** Everything but the group committer: what a transaction and the committer itself need. */
export type BaseContext = {
  config: Config;
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  log: Logger;
  ids: Ids;
  /** The node's in-process caches and their invalidation (`db/cache/cache-hub.ts`). */
  caches: CacheHub;
  /** Outcomes this process saw, counted after their commit; the metrics read them. */
  counts: OutcomeCounts;
};

export type AppContext = BaseContext & { committer: GroupCommitter };

/** Inside a transaction. It has no committer: a unit must not wait on another batch. */
export type TxContext = Omit<BaseContext, 'db'> & { db: Transaction<DB> };

export type ContextParts = {
  config: Config;
  database: Database;
  clock: Clock;
  ids: Ids;
  log?: Logger;
  /** Told of each group commit (the metrics); none by default. */
  group_commit_observer?: GroupCommitObserver;
  /** Shared with the metrics (main.ts); fresh zeros by default. */
  counts?: OutcomeCounts;
};

export function createContext(parts: ContextParts): AppContext {
  const log = parts.log ?? createLogger(parts.config.log_level);
  const base: BaseContext = {
    config: parts.config,
    db: parts.database.db,
    dialect: parts.database.dialect,
    clock: parts.clock,
    ids: parts.ids,
    log,
    caches: createCacheHub(parts.database, log),
    counts: parts.counts ?? createOutcomeCounts(),
  };
  const committerBase = { ...base, db: parts.database.committer_db ?? base.db };
  const committer = createGroupCommitter(
    committerBase,
    parts.config.limits,
    parts.group_commit_observer,
  );
  const committerDb = parts.database.committer_db;
  if (committerDb === undefined) return { ...base, committer };
  // Closing the committer (drained first) also closes its own pool.
  const close = async () => {
    await committer.close();
    await committerDb.destroy();
  };
  return { ...base, committer: { ...committer, close } };
}

const TRANSACTION_ATTEMPTS_MAX = 5;
/** Upper bound of the random pause before the second attempt; it doubles for each later one. */
const TRANSACTION_RETRY_DELAY_MS_MAX = 4;

/**
 * Runs `fn` in one database transaction and commits it, or rolls back if it throws. On
 * PostgreSQL a deadlock or serialization failure runs `fn` again (at most
 * `TRANSACTION_ATTEMPTS_MAX` times, after a short random pause so the two transactions that met
 * do not meet again), so `fn` must have no effects outside the transaction.
 */
export async function withTransaction<T>(
  ctx: BaseContext,
  fn: (tx: TxContext) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute((trx) => fn(toTxContext(ctx, trx)));
    } catch (err) {
      if (attempt >= TRANSACTION_ATTEMPTS_MAX || !isRetryableTransactionError(err)) throw err;
      const delayMs = Math.random() * TRANSACTION_RETRY_DELAY_MS_MAX * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export function toTxContext(ctx: BaseContext, trx: Transaction<DB>): TxContext {
  return {
    config: ctx.config,
    db: trx,
    dialect: ctx.dialect,
    clock: ctx.clock,
    log: ctx.log,
    ids: ctx.ids,
    caches: ctx.caches,
    counts: ctx.counts,
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.committer.close();
  await ctx.caches.close();
  await ctx.db.destroy();
}
