/**
 * Kysely's driver for Tollgate's SQLite: one WRITE connection and, for a database file, one
 * READ connection, so a read never waits behind a write transaction held across awaits.
 *
 * - Every transaction runs on the write connection, taken in turn (a FIFO mutex) and begun with
 *   `BEGIN IMMEDIATE` (it may write money, so it takes the write lock at once). Inside a
 *   transaction every statement, reads included, runs on the write connection: a `TxContext`
 *   still sees its own writes and reads under the write lock.
 * - A statement outside a transaction runs on the write connection too, unless it is a plain
 *   `SELECT` built by Kysely's query builder: that runs at once on the read connection, in its
 *   own read transaction. Under WAL a reader sees every commit that completed before its read
 *   began and nothing uncommitted, so a read right after a write's commit sees the write, and a
 *   read during a write transaction sees the state before it, as a read queued behind it would
 *   have seen no less. Raw `sql` and PRAGMA text always go to the write connection.
 * - `:memory:` databases cannot share a second connection: there `read` is null and everything
 *   runs on the write connection, as Kysely's own driver does.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  type SqliteDatabase,
} from 'kysely';

export type SqliteConnections = {
  write: SqliteDatabase;
  read: SqliteDatabase | null;
  /** Called once the write connection is released: after a commit, a rollback or a write. */
  after_write_end?: () => void;
};

type RoutedConnection = DatabaseConnection & { holds_write: boolean };

export function createSqliteDriver(connections: SqliteConnections): Driver {
  const mutex = createMutex();
  const { write, read } = connections;
  const takeWrite = async (connection: RoutedConnection) => {
    if (connection.holds_write) return;
    await mutex.lock();
    connection.holds_write = true;
  };
  return {
    init: async () => {},
    acquireConnection: async () => {
      const connection: RoutedConnection = {
        holds_write: false,
        executeQuery: async <R>(query: CompiledQuery) => {
          if (read !== null && !connection.holds_write && SelectQueryNode.is(query.query)) {
            return runStatement<R>(read, query);
          }
          await takeWrite(connection);
          return runStatement<R>(write, query);
        },
        streamQuery: async function* <R>(query: CompiledQuery) {
          assertSelect(query);
          const database = read !== null && !connection.holds_write ? read : write;
          if (database === write) await takeWrite(connection);
          for (const row of database.prepare(query.sql).iterate(query.parameters)) {
            yield { rows: [row as R] };
          }
        },
      };
      return connection;
    },
    beginTransaction: async (connection) => {
      await takeWrite(connection as RoutedConnection);
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    },
    commitTransaction: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    },
    rollbackTransaction: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    },
    releaseConnection: async (connection) => {
      const routed = connection as RoutedConnection;
      if (!routed.holds_write) return;
      routed.holds_write = false;
      mutex.unlock();
      connections.after_write_end?.();
    },
    destroy: async () => {
      read?.close();
      write.close();
    },
  };
}

function runStatement<R>(database: SqliteDatabase, query: CompiledQuery): QueryResult<R> {
  const statement = database.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return {
    numAffectedRows: BigInt(changes),
    insertId: BigInt(lastInsertRowid),
    rows: [],
  };
}

function assertSelect(query: CompiledQuery): void {
  if (!SelectQueryNode.is(query.query)) {
    throw new Error('the SQLite driver streams only select queries');
  }
}

/** A FIFO lock: `unlock` hands the lock to the longest waiter, or frees it. */
function createMutex(): { lock: () => Promise<void>; unlock: () => void } {
  let locked = false;
  const waiters: (() => void)[] = [];
  return {
    lock: () => {
      if (!locked) {
        locked = true;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    unlock: () => {
      const next = waiters.shift();
      if (next === undefined) locked = false;
      else next();
    },
  };
}
