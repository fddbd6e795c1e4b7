/**
 * Customer accounts, API keys, wallet grants, jobs, idempotency records and operator settings.
 * Booleans are int8 0/1 and instants int8 epoch milliseconds, so both dialects return bigints.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('existing_avatar_iii_customer', 'bigint', (col) => col.notNull())
    .addColumn('enterprise', 'bigint', (col) => col.notNull())
    .addColumn('concurrency_limit', 'bigint')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at_ms', 'bigint')
    .addColumn('revoked_at_ms', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_account').on('api_keys').column('account_id').execute();

  await db.schema
    .createTable('grants')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('amount_micro_usd', 'bigint', (col) => col.notNull())
    .addColumn('memo', 'text')
    .addColumn('transfer_id', 'text', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('grants_account').on('grants').column('account_id').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
    .addColumn('product', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('title', 'text')
    .addColumn('request_json', 'text', (col) => col.notNull())
    .addColumn('usage_json', 'text', (col) => col.notNull())
    .addColumn('rate_card_version', 'text', (col) => col.notNull())
    .addColumn('estimate_rule', 'text', (col) => col.notNull())
    .addColumn('hold_amount_micro_usd', 'bigint', (col) => col.notNull())
    .addColumn('charged_amount_micro_usd', 'bigint')
    .addColumn('duration_ms', 'bigint')
    .addColumn('output_format', 'text', (col) => col.notNull())
    .addColumn('callback_url', 'text')
    .addColumn('callback_id', 'text')
    .addColumn('test', 'bigint', (col) => col.notNull())
    .addColumn('engine', 'text', (col) => col.notNull())
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('video_url', 'text')
    .addColumn('thumbnail_url', 'text')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('started_at_ms', 'bigint')
    .addColumn('ready_at_ms', 'bigint')
    .addColumn('completed_at_ms', 'bigint')
    .addColumn('hold_expires_at_ms', 'bigint')
    .addColumn('deleted_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('jobs_account_created')
    .on('jobs')
    .columns(['account_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('jobs_status')
    .on('jobs')
    .columns(['status', 'ready_at_ms'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('response_status', 'bigint')
    .addColumn('response_body', 'text')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('expires_at_ms', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['settings', 'idempotency_keys', 'jobs', 'grants', 'api_keys', 'accounts']) {
    await db.schema.dropTable(table).execute();
  }
}
