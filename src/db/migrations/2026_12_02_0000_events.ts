/**
 * Events: one table of things that happened to an account that someone may need to be told about
 * (a low balance, a top-up credited, an auto-reload that failed, a grant that expired). Each row
 * is written in the same transaction as the state change it reports, so an event exists exactly
 * when its change committed; the webhooks work delivers them from here (a transactional outbox).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('account_id', 'text', (column) => column.references('accounts.id'))
    .addColumn('payload', 'text', (column) => column.notNull())
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('events_account_created')
    .on('events')
    .columns(['account_id', 'created_at_ms', 'id'])
    .execute();
  await db.schema
    .createIndex('events_created')
    .on('events')
    .columns(['created_at_ms', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events').execute();
}
