/**
 * Billing pools. `accounts.billing_type`: how an account's API keys pay (`wallet`: the prepaid USD
 * wallet; `usage_based`: postpaid). `jobs.billing_pool`: which pool a job's hold and charge are
 * on (`wallet`, `web_plan` for OAuth credentials, `usage_based`), fixed at admission so settlement
 * resolves the hold where it was placed. `jobs.api_key_id`: the key that submitted the job (per-key
 * spending limits), null for OAuth, the CLI and jobs admitted before this migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('billing_type', 'text', (column) => column.notNull().defaultTo('wallet'))
    .execute();
  await db.schema
    .alterTable('jobs')
    .addColumn('billing_pool', 'text', (column) => column.notNull().defaultTo('wallet'))
    .execute();
  await db.schema.alterTable('jobs').addColumn('api_key_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('api_key_id').execute();
  await db.schema.alterTable('jobs').dropColumn('billing_pool').execute();
  await db.schema.alterTable('accounts').dropColumn('billing_type').execute();
}
