/**
 * Helpers for auto-reload tests: save a card the way a customer does (a Checkout top-up against
 * the Stripe fake, its webhook delivered to the gateway), set the settings through the API, and
 * read the reload rows, events and the fake's off-session payments.
 */
import { expect } from 'vitest';
import type { EventType } from '../src/events/events.ts';
import { listAccountEvents } from '../src/events/events.ts';
import type { SavedPaymentMethod } from '../src/reload/payment-method.ts';
import type { Customer } from './customers.ts';
import type { TestContext } from './harness.ts';
import type { ServerFixture } from './server-fixture.ts';
import type { StripeFake } from './stripe-fake.ts';

/**
 * A card saved at a Checkout in the fake (no gateway involved): a Stripe customer and the
 * payment method its paid session saved for off-session use.
 */
export async function saveCardInFake(fake: StripeFake): Promise<SavedPaymentMethod> {
  const customer = await fake.sdk.customers.create({});
  const session = await fake.sdk.checkout.sessions.create({
    mode: 'payment',
    customer: customer.id,
    success_url: 'https://example.com/done',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Top-up' } },
      },
    ],
    payment_intent_data: { setup_future_usage: 'off_session' },
  });
  const paid = await fake.completeCheckout(session.id);
  const intent = fake.state.payment_intents.get(String(paid.object.payment_intent));
  return { customer_id: customer.id, payment_method_id: String(intent?.payment_method) };
}

/** Buys a top-up through Checkout and pays it in the fake: the card is saved for auto-reload. */
export async function saveCardWithTopUp(
  t: ServerFixture,
  fake: StripeFake,
  customer: Customer,
  amount_usd = '5.00',
): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/billing/v1/top-ups',
    headers: customer.headers,
    payload: { amount_usd },
  });
  expect(res.statusCode).toBe(200);
  const delivery = await fake.completeCheckout(res.json().data.checkout_session_id);
  expect(delivery.status).toBe(200);
}

export function patchAutoReload(t: ServerFixture, customer: Customer, body: unknown) {
  return t.app.inject({
    method: 'PATCH',
    url: '/billing/v1/auto-reload',
    headers: customer.headers,
    payload: body as Record<string, unknown>,
  });
}

export function reloadRows(ctx: TestContext, customer: Customer) {
  return ctx.db
    .selectFrom('auto_reloads')
    .selectAll()
    .where('account_id', '=', customer.account_id)
    .orderBy('created_at_ms')
    .execute();
}

export async function eventsOf(ctx: TestContext, customer: Customer, type: EventType) {
  return listAccountEvents(ctx.db, customer.account_id, { limit: 100, after: null, type });
}

/** The fake's PaymentIntents made for auto-reloads (off-session), with their status. */
export function reloadPayments(fake: StripeFake) {
  return [...fake.state.payment_intents.values()].filter(
    (intent) => (intent.metadata as Record<string, unknown>).auto_reload_id !== undefined,
  );
}
