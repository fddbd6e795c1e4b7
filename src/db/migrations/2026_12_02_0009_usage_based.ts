/**
 * Usage-based (postpaid) accounts. `accounts.time_zone`: the IANA time zone an account's periods
 * (statement months, per-key daily and monthly windows) follow, UTC by default.
 * `usage_based_caps`: one row per account that has a spending cap set or that crossed one: the
 * cap (null: no cap) and the last period whose `spending_cap.reached` event was recorded, so the
 * event is recorded once per period.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('time_zone', 'text', (column) => column.notNull().defaultTo('UTC'))
    .execute();
  await db.schema
    .createTable('usage_based_caps')
    .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id'))
    .addColumn('spending_cap_micro_usd', 'bigint')
    .addColumn('cap_reached_period', 'text')
    .addColumn('updated_at_ms', 'bigint', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('usage_based_caps').execute();
  await db.schema.alterTable('accounts').dropColumn('time_zone').execute();
}
