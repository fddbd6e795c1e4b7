/**
 * Top-ups bought with Stripe Checkout. `top_ups` is one purchase: its amount, its Checkout
 * Session, and what Stripe has told us about its money (checkout state, cumulative refunds, a
 * dispute), plus what we moved in return (`reversed_micro_usd`). `top_up_credits` is the
 * exactly-once guard of the credit: its primary key (the top-up) and unique Checkout Session make
 * a second credit of the same payment impossible, whatever the webhooks do; its row is written in
 * the grant's transaction. `top_up_reversals` records each debit back (refund or lost dispute),
 * unique by the cumulative total it brings the top-up to. `stripe_customers` maps an account to
 * its Stripe customer (created once) and the payment method saved at Checkout (auto-reload).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('top_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount_micro_usd', 'bigint', (c) => c.notNull())
    .addColumn('checkout_state', 'text', (c) => c.notNull())
    .addColumn('checkout_session_id', 'text', (c) => c.unique())
    .addColumn('checkout_url', 'text')
    .addColumn('payment_intent_id', 'text')
    .addColumn('refunded_micro_usd', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('dispute_state', 'text')
    .addColumn('disputed_micro_usd', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reversed_micro_usd', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credited_at_ms', 'bigint')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('top_ups_account_created')
    .on('top_ups')
    .columns(['account_id', 'created_at_ms', 'id'])
    .execute();
  await db.schema
    .createIndex('top_ups_payment_intent')
    .on('top_ups')
    .column('payment_intent_id')
    .execute();
  await db.schema
    .createTable('top_up_credits')
    .addColumn('top_up_id', 'text', (c) => c.primaryKey().references('top_ups.id'))
    .addColumn('checkout_session_id', 'text', (c) => c.notNull().unique())
    .addColumn('grant_id', 'text')
    .addColumn('amount_micro_usd', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('top_up_reversals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('top_up_id', 'text', (c) => c.notNull().references('top_ups.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('amount_micro_usd', 'bigint', (c) => c.notNull())
    .addColumn('reversed_through_micro_usd', 'bigint', (c) => c.notNull())
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('top_up_reversals_cumulative', ['top_up_id', 'reversed_through_micro_usd'])
    .execute();
  await db.schema
    .createTable('stripe_customers')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().unique())
    .addColumn('payment_method_id', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stripe_customers').execute();
  await db.schema.dropTable('top_up_reversals').execute();
  await db.schema.dropTable('top_up_credits').execute();
  await db.schema.dropTable('top_ups').execute();
}
