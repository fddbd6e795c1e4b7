/**
 * Opens the database named by the config: SQLite through better-sqlite3 (WAL, synchronous=FULL,
 * foreign keys, busy timeout) or PostgreSQL through a `pg` pool. Integer parsing is set
 * explicitly on both so every stored integer arrives as a `bigint`: better-sqlite3 with safe
 * integers on, and `pg` with int8 (oid 20) parsed by `BigInt` instead of returned as a string.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type Dialect as KyselyDialect,
  PostgresDialect,
  SqliteDialect,
} from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import type { DB } from './database.ts';

export type Dialect = DatabaseTarget['dialect'];

export type Database = {
  db: Kysely<DB>;
  dialect: Dialect;
};

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const PG_INT8_OID = 20;
const PG_POOL_SIZE_MAX = 10;

export function openSqlite(file_path: string): Database {
  if (file_path !== ':memory:') mkdirSync(dirname(file_path), { recursive: true });
  const sqlite = new SQLite(file_path);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return { db: new Kysely<DB>({ dialect: immediateSqliteDialect(sqlite) }), dialect: 'sqlite' };
}

/**
 * SQLite's default `BEGIN` is deferred: a transaction that reads and then writes can fail with
 * SQLITE_BUSY when another process wrote in between. Every transaction here may write money, so
 * each one takes the write lock at `BEGIN IMMEDIATE` and waits up to the busy timeout for it.
 */
function immediateSqliteDialect(sqlite: SQLite.Database): KyselyDialect {
  const base = new SqliteDialect({ database: sqlite });
  return {
    createAdapter: () => base.createAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
    createDriver: () => {
      const driver = base.createDriver();
      driver.beginTransaction = async (connection: DatabaseConnection) => {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      };
      return driver;
    },
  };
}

export function openPostgres(url: string, pool_size_max = PG_POOL_SIZE_MAX): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: pool_size_max,
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
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}

export function openDatabase(target: DatabaseTarget): Database {
  return target.dialect === 'sqlite' ? openSqlite(target.file_path) : openPostgres(target.url);
}
