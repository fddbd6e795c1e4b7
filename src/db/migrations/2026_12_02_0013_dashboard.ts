/**
 * The dashboard's tables. `dashboard_sessions`: one row per signed-in browser (a customer's
 * account user, or the operator after entering the operator token once), found by the SHA-256 of
 * the cookie's secret (the secret itself is never stored); it ends at `expires_at_ms` or at
 * sign-out. `account_preferences`: the account's time zone (an IANA name) in which the dashboard
 * shows times and days. `reconcile_runs`: every reconcile started from the operator console, with
 * its report, so the console can show the last one.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dashboard_sessions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('account_id', 'text', (column) => column.references('accounts.id'))
    .addColumn('user_id', 'text')
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('expires_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('dashboard_sessions_expires')
    .on('dashboard_sessions')
    .column('expires_at_ms')
    .execute();
  await db.schema
    .createTable('account_preferences')
    .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id'))
    .addColumn('time_zone', 'text', (column) => column.notNull())
    .addColumn('updated_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('reconcile_runs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('ok', 'bigint', (column) => column.notNull())
    .addColumn('accounts_checked', 'bigint', (column) => column.notNull())
    .addColumn('transfers_checked', 'bigint', (column) => column.notNull())
    .addColumn('report_json', 'text', (column) => column.notNull())
    .addColumn('started_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('finished_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('reconcile_runs_finished')
    .on('reconcile_runs')
    .column('finished_at_ms')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reconcile_runs').execute();
  await db.schema.dropTable('account_preferences').execute();
  await db.schema.dropTable('dashboard_sessions').execute();
}
