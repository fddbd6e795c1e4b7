/**
 * Fixtures for the top-up tests: a server configured for the Stripe fake (`useStripeServer`:
 * the fake's variables in the config, events signed on the test's clock and delivered to the
 * server through `inject()`, the fake's memory cleared before each test), buying a top-up through
 * the API, and finding its Checkout Session in the fake.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeEach, expect } from 'vitest';
import type { Customer } from './customers.ts';
import type { TestDialect } from './harness.ts';
import { type ServerFixture, type ServerFixtureOptions, useServer } from './server-fixture.ts';
import { injectInto, type StripeFake } from './stripe-fake.ts';

export function useStripeServer(
  dialect: TestDialect,
  fake: StripeFake,
  options: ServerFixtureOptions = {},
): ServerFixture {
  const t = useServer(dialect, { ...options, env: { ...fake.env, ...options.env } });
  beforeEach(() => {
    fake.reset();
    fake.declinePayments(null);
    fake.setClock(() => t.ctx.clock.now_ms());
    fake.setWebhookTarget(injectInto(t.app));
  });
  return t;
}

export function postTopUp(
  t: ServerFixture,
  amount_usd: unknown,
  options: { customer?: Customer; idempotency_key?: string } = {},
): Promise<LightMyRequestResponse> {
  const customer = options.customer ?? t.ada;
  const headers: Record<string, string> = { ...customer.headers };
  if (options.idempotency_key !== undefined) headers['idempotency-key'] = options.idempotency_key;
  return t.app.inject({
    method: 'POST',
    url: '/billing/v1/top-ups',
    headers,
    payload: { amount_usd },
  });
}

export type BoughtTopUp = { id: string; session_id: string; checkout_url: string };

/** Buys a top-up (201/200 expected) and returns it with its Checkout Session id in the fake. */
export async function buyTopUp(
  t: ServerFixture,
  fake: StripeFake,
  amount_usd: string,
  customer?: Customer,
): Promise<BoughtTopUp> {
  const res = await postTopUp(t, amount_usd, { customer });
  expect(res.statusCode, res.body).toBe(200);
  const top_up = res.json().data;
  return {
    id: top_up.id,
    session_id: sessionIdOf(fake, top_up.id),
    checkout_url: top_up.checkout_url,
  };
}

export function sessionIdOf(fake: StripeFake, top_up_id: string): string {
  const found = [...fake.state.sessions.values()].filter(
    (session) => session.client_reference_id === top_up_id,
  );
  expect(found).toHaveLength(1);
  return found[0]!.id;
}

export async function getTopUpJson(t: ServerFixture, id: string, customer?: Customer) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/billing/v1/top-ups/${id}`,
    headers: (customer ?? t.ada).headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}
