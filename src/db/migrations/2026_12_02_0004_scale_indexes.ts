/**
 * Indexes a large database needs (issue 16, item 5). `idempotency_keys` had none on
 * `expires_at_ms`: every purge (`idempotency/purger.ts`) looked for expired keys with a full scan
 * of the table, which holds one TTL (24 h) of keys, millions on a busy gateway, so each purge
 * read the whole table to delete a bounded batch. With this index a purge batch reads only the
 * expired keys it deletes. (`jobs.status` already has `jobs_status` on (status, ready_at_ms),
 * which the worker's scans use.)
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('idempotency_keys_expires')
    .on('idempotency_keys')
    .column('expires_at_ms')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_expires').execute();
}
