/**
 * Indexes no query uses, dropped from the request path (issue 16): every job admitted and every
 * event recorded paid for their upkeep. Checked with `explain query plan` over every statement
 * the test suite runs on `jobs` and `events` (SQLite), and by the queries' shapes:
 * - `jobs_account_created` (account_id, created_at_ms): every listing of an account's jobs
 *   filters its kind and uses `jobs_account_kind_created` (account_id, kind, created_at_ms);
 *   the other reads by account use `jobs_account_status` or `jobs_account_kind_group`.
 * - `events_created` (created_at_ms, id): no read orders all accounts' events but the outbox's
 *   fan-out, which uses the partial `events_undispatched` (the same columns, undispatched only);
 *   an account's events use `events_account_created`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_account_created').execute();
  await db.schema.dropIndex('events_created').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_account_created')
    .on('jobs')
    .columns(['account_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('events_created')
    .on('events')
    .columns(['created_at_ms', 'id'])
    .execute();
}
