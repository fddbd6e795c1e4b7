/**
 * Per-API-key spending limits. `api_key_spending_limits`: at most one limit per key, an amount
 * per `day` or per `month` of the account's time zone. The index on `jobs (api_key_id,
 * completed_at_ms)` serves the admission check: a key's charges in a window and its jobs in
 * flight (not completed yet).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_key_spending_limits')
    .addColumn('api_key_id', 'text', (column) => column.primaryKey().references('api_keys.id'))
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('limit_window', 'text', (column) => column.notNull())
    .addColumn('amount_micro_usd', 'bigint', (column) => column.notNull())
    .addColumn('updated_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('api_key_spending_limits_account')
    .on('api_key_spending_limits')
    .column('account_id')
    .execute();
  await db.schema
    .createIndex('jobs_api_key_completed')
    .on('jobs')
    .columns(['api_key_id', 'completed_at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_api_key_completed').execute();
  await db.schema.dropTable('api_key_spending_limits').execute();
}
