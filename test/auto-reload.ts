/**
 * Helpers for auto-reload tests: save a card the way a customer does (a Checkout top-up against
 * the Stripe fake, its webhook delivered to the gateway: `top-ups.ts`), set the settings through
 * the API, and read the reload rows, events and the fake's off-session payments.
 */
import { expect } from 'vitest';
import type { EventType } from '../src/events/events.ts';
import { listAccountEvents } from '../src/events/events.ts';
import type { Customer } from './customers.ts';
import type { TestContext } from './harness.ts';
import type { ServerFixture } from './server-fixture.ts';
import type { StripeFake } from './stripe-fake.ts';
import { buyTopUp } from './top-ups.ts';

/** Buys a top-up through Checkout and pays it in the fake: the card is saved for auto-reload. */
export async function saveCardWithTopUp(
  t: ServerFixture,
  fake: StripeFake,
  customer: Customer,
  amount_usd = '5.00',
): Promise<void> {
  const { session_id } = await buyTopUp(t, fake, amount_usd, customer);
  const delivery = await fake.completeCheckout(session_id);
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
