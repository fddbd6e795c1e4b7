import { afterAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { startStripeFake } from '../../../test/stripe-fake.ts';
import { buyTopUp, getTopUpJson, postTopUp, useStripeServer } from '../../../test/top-ups.ts';

const fake = await startStripeFake();
afterAll(() => fake.close());

describe.each(dialects)('POST /billing/v1/top-ups on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, {
    customer: { username: 'ada' },
    env: { TOLLGATE_PUBLIC_URL: 'https://billing.example.com/' },
  });

  it('opens a Checkout Session for the amount and answers the pending top-up', async () => {
    const res = await postTopUp(t, '25.00');
    expect(res.statusCode, res.body).toBe(200);
    const top_up = res.json().data;
    expect(top_up).toMatchObject({
      status: 'pending',
      amount_usd: '25.00',
      amount_micro_usd: 25_000_000,
    });
    expect(top_up.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const [session] = [...fake.state.sessions.values()];
    expect(top_up.checkout_url).toBe(session!.url);
    expect(session).toMatchObject({
      amount_total: 2500,
      currency: 'usd',
      client_reference_id: top_up.id,
      metadata: { top_up_id: top_up.id, account_id: t.ada.account_id },
      payment_intent_data: { setup_future_usage: 'off_session' },
      success_url: `https://billing.example.com/billing/top-ups/${top_up.id}?checkout=success`,
    });
  });

  it('accepts a JSON number of dollars exact to the cent', async () => {
    const res = await postTopUp(t, 12.5);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.amount_usd).toBe('12.50');
  });

  it('refuses amounts below $5.00, above the maximum or finer than a cent, naming amount_usd', async () => {
    for (const amount_usd of ['4.99', '10000.01', '5.001', 'ten', '-5', 0]) {
      const res = await postTopUp(t, amount_usd);
      expect(res.statusCode, `${amount_usd}: ${res.body}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param: 'amount_usd' });
    }
    expect((await postTopUp(t, '10000.00')).statusCode).toBe(200);
    expect(fake.state.sessions.size).toBe(1);
  });

  it('creates the Stripe customer once per account and reuses it', async () => {
    await postTopUp(t, '5.00');
    await postTopUp(t, '6.00');
    expect(fake.state.customers.size).toBe(1);
    const customers = [...fake.state.sessions.values()].map((session) => session.customer);
    expect(new Set(customers).size).toBe(1);
  });

  it('a retry under the same Idempotency-Key returns the same top-up and session', async () => {
    const first = await postTopUp(t, '25.00', { idempotency_key: 'buy-1' });
    const second = await postTopUp(t, '25.00', { idempotency_key: 'buy-1' });
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().data).toEqual(first.json().data);
    expect(fake.state.sessions.size).toBe(1);
    const rows = await t.ctx.db.selectFrom('top_ups').selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it('a retry after a crash before the response reuses the top-up and Stripe returns the same session', async () => {
    const first = await postTopUp(t, '25.00', { idempotency_key: 'buy-crash' });
    const top_up = first.json().data;
    // As if the response was never stored: the key is free again, the top-up row stays.
    await t.ctx.db.deleteFrom('idempotency_keys').execute();
    await t.ctx.db
      .updateTable('top_ups')
      .set({ checkout_session_id: null, checkout_url: null })
      .execute();
    const retry = await postTopUp(t, '25.00', { idempotency_key: 'buy-crash' });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().data).toMatchObject({ id: top_up.id, checkout_url: top_up.checkout_url });
    expect(fake.state.sessions.size).toBe(1);
  });

  it('a Stripe failure is a 502 that leaves a pending top-up; the retry gets one session', async () => {
    fake.failRequests(10);
    const failed = await postTopUp(t, '25.00', { idempotency_key: 'buy-down' });
    expect(failed.statusCode, failed.body).toBe(502);
    expect(failed.json().error.code).toBe('payment_provider_failed');
    const [pending] = await t.ctx.db.selectFrom('top_ups').selectAll().execute();
    expect(pending).toMatchObject({ checkout_state: 'open', checkout_session_id: null });
    fake.failRequests(0);
    const retry = await postTopUp(t, '25.00', { idempotency_key: 'buy-down' });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().data.id).toBe(pending!.id);
    expect(fake.state.sessions.size).toBe(1);
    expect(await t.ctx.db.selectFrom('top_ups').selectAll().execute()).toHaveLength(1);
  });

  it('an unknown field is a 400 naming it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/top-ups',
      headers: t.ada.headers,
      payload: { amount_usd: '25.00', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.param).toBe('extra');
  });
});

describe.each(dialects)('GET /billing/v1/top-ups on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, { customer: { username: 'ada' } });

  it('lists the account’s top-ups newest first in pages, and shows one by id', async () => {
    const ids: string[] = [];
    for (const amount of ['5.00', '6.00', '7.00']) {
      ids.push((await buyTopUp(t, fake, amount)).id);
      t.ctx.clock.advance(1_000n);
    }
    const page = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/top-ups?limit=2',
      headers: t.ada.headers,
    });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.data.map((row: { id: string }) => row.id)).toEqual([ids[2], ids[1]]);
    expect(body.has_more).toBe(true);
    const next = await t.app.inject({
      method: 'GET',
      url: `/billing/v1/top-ups?limit=2&token=${body.next_token}`,
      headers: t.ada.headers,
    });
    expect(next.json().data.map((row: { id: string }) => row.id)).toEqual([ids[0]]);
    expect((await getTopUpJson(t, ids[0]!)).amount_usd).toBe('5.00');
  });

  it('another account’s top-up is a 404', async () => {
    const top_up = await buyTopUp(t, fake, '5.00');
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const res = await t.app.inject({
      method: 'GET',
      url: `/billing/v1/top-ups/${top_up.id}`,
      headers: bob.headers,
    });
    expect(res.statusCode).toBe(404);
    const list = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/top-ups',
      headers: bob.headers,
    });
    expect(list.json().data).toEqual([]);
  });

  it('needs an API key', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/billing/v1/top-ups' });
    expect(res.statusCode).toBe(401);
  });
});

describe.each(dialects)('top-ups without Stripe on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada' } });

  it('POST /billing/v1/top-ups answers 403 payments_not_configured and writes nothing', async () => {
    const res = await postTopUp(t, '25.00');
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'payments_not_configured' });
    expect(res.json().error.message).toMatch(/operator/);
    expect(await t.ctx.db.selectFrom('top_ups').selectAll().execute()).toEqual([]);
  });

  it('POST /webhooks/stripe answers 403 payments_not_configured', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(403);
  });
});
