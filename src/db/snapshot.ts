/**
 * Read snapshots: every read of `fn` sees the database as of one moment. PostgreSQL: a
 * `REPEATABLE READ READ ONLY` transaction. SQLite: one deferred read transaction (`BEGIN`, never
 * `BEGIN IMMEDIATE`), whose snapshot is fixed by its first read and, under WAL, neither blocks
 * writers nor waits for them. Rolled back at the end: nothing is written.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB } from './database.ts';

export async function inReadSnapshot<T>(
  db: Kysely<DB>,
  fn: (snapshot: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute((trx) => fn(trx));
  }
  return db.connection().execute(async (connection) => {
    await sql`begin`.execute(connection);
    try {
      return await fn(connection);
    } finally {
      await sql`rollback`.execute(connection);
    }
  });
}
