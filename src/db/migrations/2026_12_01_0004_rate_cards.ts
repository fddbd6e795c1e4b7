/**
 * Operator rate cards and per-account rate overrides, both immutable versions, and the override a
 * job was admitted under (`jobs.rate_override_id`, null when none), so a job settles on exactly
 * the card version and override that priced its hold. An empty `rate_cards` table means the
 * built-in default card (the seed's table) is in effect.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_cards')
    .addColumn('version', 'text', (col) => col.primaryKey())
    // Two cards taking effect at the same instant would leave the active card ambiguous.
    .addColumn('effective_at_ms', 'bigint', (col) => col.notNull().unique())
    .addColumn('rows_json', 'text', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('rate_overrides')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
    .addColumn('version', 'bigint', (col) => col.notNull())
    .addColumn('rows_json', 'text', (col) => col.notNull())
    .addColumn('memo', 'text')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('ended_at_ms', 'bigint')
    .addUniqueConstraint('rate_overrides_account_version', ['account_id', 'version'])
    .execute();

  await db.schema.alterTable('jobs').addColumn('rate_override_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('rate_override_id').execute();
  await db.schema.dropTable('rate_overrides').execute();
  await db.schema.dropTable('rate_cards').execute();
}
