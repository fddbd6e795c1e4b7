/**
 * Opens the database named by the config: SQLite through better-sqlite3 (WAL, synchronous=FULL,
 * foreign keys, busy timeout, a bounded cache of prepared statements, a write connection and a
 * read connection: `sqlite-driver.ts`) or PostgreSQL through two `pg` pools (reads and
 * transactions outside the committer; the committer's lanes). Integer parsing is set explicitly on both so every stored integer arrives as a
 * `bigint`: better-sqlite3 with safe integers on, and `pg` with int8 (oid 20) parsed by `BigInt`
 * instead of returned as a string.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  type Dialect as KyselyDialect,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import type { DB } from './database.ts';
import { reportScanProgress, SCAN_PROGRESS_FUNCTION } from './scan-progress.ts';
import { createSqliteDriver, type SqliteConnections } from './sqlite-driver.ts';

export type Dialect = DatabaseTarget['dialect'];

export type Database = {
  db: Kysely<DB>;
  dialect: Dialect;
  /**
   * PostgreSQL: the group committer's own pool (one connection per lane), so reads and the
   * transactions outside the committer never wait for a lane's connection. SQLite: absent (one
   * write connection serves both).
   */
  committer_db?: Kysely<DB>;
  /** PostgreSQL: the connection string (the cache invalidation listener opens its own). */
  url?: string;
  /**
   * SQLite file: `PRAGMA data_version` of the write connection, which moves only when another
   * connection (another process) commits to the file (`cache/cache-hub.ts`).
   */
  external_version?: () => bigint;
  /** SQLite: registers a function called after each write transaction's commit or rollback. */
  on_write_end?: (listener: () => void) => void;
};

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/**
 * SQLite checkpoints the WAL into the database file once the WAL holds this many pages (SQLite's
 * default is 1,000). Rarer checkpoints make commits cheaper: a checkpoint runs inside the commit
 * that crosses the threshold and blocks the event loop for its fsync. Durability is unchanged (a
 * commit is durable once its WAL frames are synced, with synchronous=FULL); the cost is a WAL
 * file of up to about 40 MiB (10,000 pages of 4 KiB) before it is reused.
 */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** Prepared statements kept per SQLite connection, least recently used evicted first. */
const SQLITE_STATEMENT_CACHE_SIZE_MAX = 256;
/** Longer SQL is prepared every time: such text is usually unique to one batch size. */
const SQLITE_STATEMENT_CACHE_SQL_LENGTH_MAX = 32_768;
const PG_INT8_OID = 20;
const PG_POOL_SIZE_MAX = 10;
/** The committer's pool: one connection per lane (`POSTGRES_LANE_COUNT` in `group-commit.ts`). */
const PG_COMMITTER_POOL_SIZE_MAX = 8;

export function openSqlite(file_path: string): Database {
  if (file_path !== ':memory:') mkdirSync(dirname(file_path), { recursive: true });
  const sqlite = new SQLite(file_path);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
  sqlite.function(SCAN_PROGRESS_FUNCTION, { directOnly: true }, reportScanProgress);
  const writeEndListeners: (() => void)[] = [];
  const connections: SqliteConnections = {
    write: cachingStatements(sqlite),
    read: file_path === ':memory:' ? null : cachingStatements(openSqliteReader(file_path)),
    after_write_end: () => {
      for (const listener of writeEndListeners) listener();
    },
  };
  const dataVersion = sqlite.prepare('pragma data_version').pluck();
  return {
    db: new Kysely<DB>({ dialect: sqliteDialect(connections) }),
    dialect: 'sqlite',
    external_version: () => dataVersion.get() as bigint,
    on_write_end: (listener) => {
      writeEndListeners.push(listener);
    },
  };
}

/**
 * The read connection (`sqlite-driver.ts`): opened after the writer set WAL mode, read-only,
 * with the same integer parsing and busy timeout.
 */
function openSqliteReader(file_path: string): SQLite.Database {
  const reader = new SQLite(file_path, { readonly: true });
  reader.defaultSafeIntegers(true);
  reader.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  reader.function(SCAN_PROGRESS_FUNCTION, { directOnly: true }, reportScanProgress);
  return reader;
}

/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query, and preparing costs more than
 * running a small statement. This wrapper returns a cached statement for SQL text it has seen.
 * Reuse is safe: better-sqlite3 resets a statement after every `run()`/`all()`, which is all
 * Kysely calls outside streaming; a statement still being iterated (`busy`, a `.stream()` in
 * progress) is never handed out again, a fresh one is prepared instead. Every statement is
 * prepared after `defaultSafeIntegers(true)`, so it returns bigints like an uncached one.
 */
function cachingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text) => {
      const cached = cache.get(text);
      if (cached !== undefined && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (cached === undefined && text.length <= SQLITE_STATEMENT_CACHE_SQL_LENGTH_MAX) {
        if (cache.size >= SQLITE_STATEMENT_CACHE_SIZE_MAX) {
          cache.delete(cache.keys().next().value!);
        }
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** Kysely's SQLite adapter and compiler over Tollgate's driver (`sqlite-driver.ts`). */
function sqliteDialect(connections: SqliteConnections): KyselyDialect {
  const base = new SqliteDialect({ database: connections.write });
  return {
    createAdapter: () => base.createAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
    createDriver: () => createSqliteDriver(connections),
  };
}

export function openPostgres(url: string, pool_size_max = PG_POOL_SIZE_MAX): Database {
  return {
    db: new Kysely<DB>({ dialect: new PostgresDialect({ pool: openPool(url, pool_size_max) }) }),
    committer_db: new Kysely<DB>({
      dialect: new PostgresDialect({ pool: openPool(url, PG_COMMITTER_POOL_SIZE_MAX) }),
    }),
    dialect: 'postgres',
    url,
  };
}

function openPool(url: string, size_max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size_max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID
          ? (text: string) => BigInt(text)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose connection breaks (a server restart, an administrator terminating it)
  // is already dropped from the pool, and the next query opens a new connection. Without a
  // listener, the pool's 'error' event would crash the process.
  pool.on('error', () => {});
  // The same for a client checked out between two queries (inside a transaction) when the
  // server goes away: its next query fails and the pool drops it; the event must not crash us.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

export function openDatabase(target: DatabaseTarget): Database {
  return target.dialect === 'sqlite' ? openSqlite(target.file_path) : openPostgres(target.url);
}
