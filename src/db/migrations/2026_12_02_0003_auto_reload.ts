/**
 * Low-balance alerts and auto-reload. `balance_watches`: one row per wallet that has a threshold
 * set (none for the others, so the balance-changing paths pay one primary-key read and nothing
 * else): the low-balance alert threshold and its `armed` state (1 while the available balance is
 * at or above the threshold), and the auto-reload settings, its consecutive failures and the id of
 * the reload in flight. `auto_reloads`: one row per attempt; the partial unique index allows at
 * most one `pending` attempt per wallet, whatever the number of nodes that saw the crossing.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('balance_watches')
    .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id'))
    .addColumn('low_balance_threshold_micro_usd', 'bigint')
    .addColumn('low_balance_armed', 'bigint', (column) => column.notNull().defaultTo(1))
    .addColumn('auto_reload_enabled', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('auto_reload_threshold_micro_usd', 'bigint')
    .addColumn('auto_reload_amount_micro_usd', 'bigint')
    .addColumn('auto_reload_daily_cap_micro_usd', 'bigint')
    .addColumn('auto_reload_failures', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('auto_reload_disabled_reason', 'text')
    .addColumn('auto_reload_pending_id', 'text')
    .addColumn('updated_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('auto_reloads')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('amount_micro_usd', 'bigint', (column) => column.notNull())
    .addColumn('day_start_ms', 'bigint', (column) => column.notNull())
    .addColumn('payment_intent_id', 'text')
    .addColumn('grant_id', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('completed_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('auto_reloads_one_pending')
    .on('auto_reloads')
    .column('account_id')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('auto_reloads_account_day')
    .on('auto_reloads')
    .columns(['account_id', 'day_start_ms'])
    .execute();
  await db.schema
    .createIndex('auto_reloads_status_created')
    .on('auto_reloads')
    .columns(['status', 'created_at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auto_reloads').execute();
  await db.schema.dropTable('balance_watches').execute();
}
