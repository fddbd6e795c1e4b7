/**
 * Web plans (`src/plans/`): the operator's plan catalog (rows override the built-in defaults of
 * `plans/catalog.ts`), each account's subscription (its plan and its current cycle), one row per
 * premium-credit cycle an account has had (its own `credit_milli` ledger account, so credits a
 * job releases after its cycle ended expire instead of joining the next cycle), add-on credit
 * packs, the credit rate card's immutable versions, and the credits of each web-plan job (what
 * it held and was charged, on which credit card version). Credits themselves live in the ledger.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('heygen_plan', 'text', (col) => col.notNull())
    .addColumn('premium_credit_milli', 'bigint', (col) => col.notNull())
    .addColumn('cycle_months', 'bigint', (col) => col.notNull())
    .addColumn('oauth_concurrency_limit', 'bigint', (col) => col.notNull())
    .addColumn('updated_at_ms', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('account_id', 'text', (col) => col.primaryKey().references('accounts.id'))
    .addColumn('plan_id', 'text', (col) => col.notNull())
    .addColumn('anchor_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('cycle_number', 'bigint', (col) => col.notNull())
    .addColumn('cycle_started_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('resets_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('updated_at_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('subscriptions_by_resets_at')
    .on('subscriptions')
    .column('resets_at_ms')
    .execute();

  await db.schema
    .createTable('credit_cycles')
    .addColumn('ledger_account_id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
    .addColumn('cycle_number', 'bigint', (col) => col.notNull())
    .addColumn('plan_id', 'text', (col) => col.notNull())
    .addColumn('allowance_credit_milli', 'bigint', (col) => col.notNull())
    .addColumn('started_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('ends_at_ms', 'bigint', (col) => col.notNull())
    .addColumn('closed_at_ms', 'bigint')
    .addUniqueConstraint('credit_cycles_account_cycle', ['account_id', 'cycle_number'])
    .execute();
  await db.schema
    .createIndex('credit_cycles_open_by_end')
    .on('credit_cycles')
    .columns(['closed_at_ms', 'ends_at_ms'])
    .execute();

  await db.schema
    .createTable('credit_packs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
    .addColumn('amount_credit_milli', 'bigint', (col) => col.notNull())
    .addColumn('memo', 'text')
    .addColumn('transfer_id', 'text', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('credit_packs_by_account')
    .on('credit_packs')
    .columns(['account_id', 'created_at_ms'])
    .execute();

  await db.schema
    .createTable('credit_rate_cards')
    .addColumn('version', 'text', (col) => col.primaryKey())
    .addColumn('effective_at_ms', 'bigint', (col) => col.notNull().unique())
    .addColumn('rows_json', 'text', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('job_credits')
    .addColumn('job_id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('credit_rate_card_version', 'text', (col) => col.notNull())
    .addColumn('hold_credit_milli', 'bigint', (col) => col.notNull())
    .addColumn('charged_credit_milli', 'bigint')
    .addColumn('uncollected_credit_milli', 'bigint')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_credits').execute();
  await db.schema.dropTable('credit_rate_cards').execute();
  await db.schema.dropTable('credit_packs').execute();
  await db.schema.dropTable('credit_cycles').execute();
  await db.schema.dropTable('subscriptions').execute();
  await db.schema.dropTable('plans').execute();
}
