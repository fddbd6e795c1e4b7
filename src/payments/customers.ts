/**
 * Stripe customers: each Tollgate account has at most one, created on its first top-up and reused
 * (the Stripe call carries an idempotency key derived from the account, and the row's primary key
 * is the account), and the payment method saved at Checkout for off-session charges, which
 * auto-reload reads through `savedPaymentMethodOf`.
 */
import type { Kysely } from 'kysely';
import type { AppContext, TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { assert } from '../shared/assert.ts';
import type { StripeCustomerRow } from './payments.table.ts';
import type { StripeClient } from './stripe-client.ts';

/**
 * The account's Stripe customer id, creating the customer at Stripe the first time. The Stripe
 * call happens outside any transaction; two first top-ups at once get the same customer (Stripe's
 * idempotency key) and the first row written wins.
 */
export async function ensureStripeCustomer(
  ctx: AppContext,
  stripe: StripeClient,
  account_id: string,
): Promise<string> {
  const existing = await stripeCustomerOf(ctx.db, account_id);
  if (existing !== null) return existing.customer_id;
  const customer = await stripe.customers.create(
    { metadata: { account_id } },
    { idempotencyKey: `tollgate-customer-${account_id}` },
  );
  const now_ms = ctx.clock.now_ms();
  await ctx.committer.run((tx) =>
    tx.db
      .insertInto('stripe_customers')
      .values({
        account_id,
        customer_id: customer.id,
        payment_method_id: null,
        created_at_ms: now_ms,
        updated_at_ms: now_ms,
      })
      .onConflict((conflict) => conflict.column('account_id').doNothing())
      .execute(),
  );
  const row = await stripeCustomerOf(ctx.db, account_id);
  assert(row !== null, 'stripe customer row exists after insert');
  return row.customer_id;
}

export async function stripeCustomerOf(
  db: Kysely<DB>,
  account_id: string,
): Promise<StripeCustomerRow | null> {
  const row = await db
    .selectFrom('stripe_customers')
    .selectAll()
    .where('account_id', '=', account_id)
    .executeTakeFirst();
  return row ?? null;
}

export type SavedPaymentMethod = { customer_id: string; payment_method_id: string };

/** The Stripe customer and the payment method saved at Checkout, or null (none saved yet). */
export async function savedPaymentMethodOf(
  db: Kysely<DB>,
  account_id: string,
): Promise<SavedPaymentMethod | null> {
  const row = await stripeCustomerOf(db, account_id);
  if (row === null || row.payment_method_id === null) return null;
  return { customer_id: row.customer_id, payment_method_id: row.payment_method_id };
}

/**
 * Saves the payment method of a paid Checkout as the account's method for off-session charges,
 * if it was paid by the account's own Stripe customer (the latest such method wins).
 */
export async function savePaymentMethod(
  tx: TxContext,
  saved: { account_id: string } & SavedPaymentMethod,
): Promise<void> {
  await tx.db
    .updateTable('stripe_customers')
    .set({ payment_method_id: saved.payment_method_id, updated_at_ms: tx.clock.now_ms() })
    .where('account_id', '=', saved.account_id)
    .where('customer_id', '=', saved.customer_id)
    .execute();
}
