/**
 * End to end: a customer buys balance through Stripe Checkout against the Stripe fake, over real
 * sockets (the gateway listens; the fake's pay page sends the signed webhook to it), and sees
 * `GET /v3/users/me` change exactly once, even when Stripe delivers the event again.
 */

import type Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { startStripeFake } from '../stripe-fake.ts';
import { postTopUp, useStripeServer } from '../top-ups.ts';

const fake = await startStripeFake();
afterAll(() => fake.close());

describe.each(dialects)('buying balance with Checkout on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, { customer: { username: 'ada' } });

  it('a customer tops up through Checkout and users/me changes exactly once', async () => {
    const gateway = await t.app.listen({ port: 0, host: '127.0.0.1' });
    fake.setWebhookTarget({ url: `${gateway}/webhooks/stripe` });
    expect((await t.wallet()).remaining_balance).toBe(0);

    const bought = await postTopUp(t, '25.00', { idempotency_key: 'first-top-up' });
    expect(bought.statusCode, bought.body).toBe(200);
    const { id, checkout_url } = bought.json().data;
    const page = await fetch(checkout_url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pay $25');

    const paid = await fetch(`${checkout_url}/pay`, { method: 'POST' });
    expect(await paid.json()).toMatchObject({ status: 200 });
    expect((await t.wallet()).remaining_balance).toBe(25);

    const [completed] = [...fake.state.events.values()] as unknown as Stripe.Event[];
    expect(completed!.type).toBe('checkout.session.completed');
    expect(await fake.deliver(completed!)).toBe(200);
    expect((await t.wallet()).remaining_balance).toBe(25);
    // Credited once: the repeated event counts nothing more.
    expect(t.ctx.counts.top_ups).toEqual({ completed: 1, failed: 0 });

    const shown = await t.app.inject({
      method: 'GET',
      url: `/billing/v1/top-ups/${id}`,
      headers: t.ada.headers,
    });
    expect(shown.json().data).toMatchObject({ status: 'paid', amount_usd: '25.00' });
    const history = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/ledger',
      headers: t.ada.headers,
    });
    const grants = history.json().data.filter((entry: { kind: string }) => entry.kind === 'grant');
    expect(grants).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });
});
