import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../../test/customers.ts';
import { createSiblingNode, dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import type { ServerFixture } from '../../../test/server-fixture.ts';
import { injectInto, startStripeFake } from '../../../test/stripe-fake.ts';
import { buyTopUp, getTopUpJson, useStripeServer } from '../../../test/top-ups.ts';
import { PHOTO_720P, submit } from '../../../test/videos.ts';
import { savedPaymentMethodOf } from '../../payments/customers.ts';
import { buildServer } from '../server.ts';

const fake = await startStripeFake();
afterAll(() => fake.close());

const USD_25 = 25_000_000n;

async function credits(t: ServerFixture) {
  return t.ctx.db.selectFrom('top_up_credits').selectAll().execute();
}

async function eventsOf(t: ServerFixture, type: string) {
  return t.ctx.db.selectFrom('events').selectAll().where('type', '=', type).execute();
}

function deliverRaw(t: ServerFixture, payload: string, signature: string | undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['stripe-signature'] = signature;
  return t.app.inject({ method: 'POST', url: '/webhooks/stripe', payload, headers });
}

describe.each(dialects)('POST /webhooks/stripe on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, { customer: { username: 'ada' } });

  it('a paid completion credits the wallet once however often it is delivered', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    const completed = await fake.completeCheckout(top_up.session_id);
    expect(completed.status).toBe(200);
    for (let i = 0; i < 3; i++) expect(await fake.deliver(completed.event)).toBe(200);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(USD_25);
    expect(await credits(t)).toHaveLength(1);
    expect(await eventsOf(t, 'top_up.credited')).toHaveLength(1);
    expect((await getTopUpJson(t, top_up.id)).status).toBe('paid');
    await expectLedgerBalanced(t.ctx);
  });

  it('ten concurrent deliveries of the same event credit once', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    fake.setWebhookTarget(null);
    const { event } = await fake.completeCheckout(top_up.session_id);
    fake.setWebhookTarget(injectInto(t.app));
    const statuses = await Promise.all(Array.from({ length: 10 }, () => fake.deliver(event)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(USD_25);
    expect(await credits(t)).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });

  it.runIf(dialect === 'postgres')(
    'deliveries of one event to two gateway nodes at once credit once',
    async () => {
      const top_up = await buyTopUp(t, fake, '25.00');
      fake.setWebhookTarget(null);
      const { event } = await fake.completeCheckout(top_up.session_id);
      const node = createSiblingNode(t.ctx, 'b');
      const other = buildServer(node);
      try {
        const sends = Array.from({ length: 10 }, (_, i) => {
          const { payload, headers } = fake.signedDelivery(event);
          const app = i % 2 === 0 ? t.app : other;
          return app.inject({ method: 'POST', url: '/webhooks/stripe', payload, headers });
        });
        const statuses = (await Promise.all(sends)).map((res) => res.statusCode);
        expect(statuses).toEqual(Array(10).fill(200));
      } finally {
        await other.close();
        await node.close();
      }
      expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(USD_25);
      expect(await credits(t)).toHaveLength(1);
      await expectLedgerBalanced(t.ctx);
    },
  );

  it('a forged or stale signature is a 400 naming Stripe-Signature and writes nothing', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    fake.setWebhookTarget(null);
    const { event } = await fake.completeCheckout(top_up.session_id);
    const forged = fake.signedDelivery(event, { secret: 'whsec_someone_else' });
    const nowS = Number(t.ctx.clock.now_ms() / 1000n);
    const stale = fake.signedDelivery(event, { timestamp_s: nowS - 301 });
    const tampered = fake.signedDelivery(event);
    const cases = [
      [forged.payload, forged.headers['stripe-signature']],
      [stale.payload, stale.headers['stripe-signature']],
      [tampered.payload.replace('"paid"', '"paid" '), tampered.headers['stripe-signature']],
      [tampered.payload, undefined],
    ] as const;
    for (const [payload, signature] of cases) {
      const res = await deliverRaw(t, payload, signature);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'invalid_parameter',
        param: 'Stripe-Signature',
      });
    }
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(0n);
    expect(await credits(t)).toHaveLength(0);
    expect((await getTopUpJson(t, top_up.id)).status).toBe('pending');
    // The genuine delivery, within the tolerance, still credits.
    t.ctx.clock.advance(299_000n);
    const late = fake.signedDelivery(event, { timestamp_s: nowS });
    expect((await deliverRaw(t, late.payload, late.headers['stripe-signature'])).statusCode).toBe(
      200,
    );
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(USD_25);
  });

  it('a delayed payment credits only when it succeeds, and a failed one never', async () => {
    const good = await buyTopUp(t, fake, '25.00');
    await fake.completeCheckout(good.session_id, { delayed: true });
    expect((await getTopUpJson(t, good.id)).status).toBe('pending');
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(0n);
    const succeeded = await fake.settleDelayedPayment(good.session_id, 'succeeded');
    expect(succeeded.status).toBe(200);
    expect((await getTopUpJson(t, good.id)).status).toBe('paid');
    const bad = await buyTopUp(t, fake, '10.00');
    await fake.completeCheckout(bad.session_id, { delayed: true });
    await fake.settleDelayedPayment(bad.session_id, 'failed');
    expect((await getTopUpJson(t, bad.id)).status).toBe('failed');
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(USD_25);
    expect(await credits(t)).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });

  it('reordered events end the same: success before the unpaid completion credits once', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    fake.setWebhookTarget(null);
    const unpaid = await fake.completeCheckout(top_up.session_id, { delayed: true });
    const succeeded = await fake.settleDelayedPayment(top_up.session_id, 'succeeded');
    for (const event of [succeeded.event, unpaid.event, succeeded.event, unpaid.event]) {
      const { payload, headers } = fake.signedDelivery(event);
      expect((await deliverRaw(t, payload, headers['stripe-signature'])).statusCode).toBe(200);
    }
    expect((await getTopUpJson(t, top_up.id)).status).toBe('paid');
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(USD_25);
    await expectLedgerBalanced(t.ctx);
  });

  it('a refund delivered before the completion ends credited and debited back once', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    fake.setWebhookTarget(null);
    const completed = await fake.completeCheckout(top_up.session_id);
    const charge = fake.chargeOf(top_up.session_id);
    const refunded = await fake.refundCharge(charge.id, 1000);
    fake.setWebhookTarget(injectInto(t.app));
    for (const event of [refunded.event, completed.event, refunded.event, completed.event]) {
      expect(await fake.deliver(event)).toBe(200);
    }
    const shown = await getTopUpJson(t, top_up.id);
    expect(shown).toMatchObject({ status: 'partially_refunded', reversed_usd: '10.00' });
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(15_000_000n);
    expect(await eventsOf(t, 'top_up.reversed')).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });

  it('refunds debit back by the cumulative amount, whatever the duplicates and order', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    await fake.completeCheckout(top_up.session_id);
    const charge = fake.chargeOf(top_up.session_id);
    const first = await fake.refundCharge(charge.id, 500);
    const second = await fake.refundCharge(charge.id, 1500);
    for (const event of [first.event, second.event, first.event]) await fake.deliver(event);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(5_000_000n);
    const rest = await fake.refundCharge(charge.id);
    await fake.deliver(rest.event);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(0n);
    expect((await getTopUpJson(t, top_up.id)).status).toBe('refunded');
    expect(await eventsOf(t, 'top_up.reversed')).toHaveLength(3);
    await expectLedgerBalanced(t.ctx);
  });

  it('a refund after the money was spent takes the balance below zero; jobs get 402 until a top-up', async () => {
    const top_up = await buyTopUp(t, fake, '5.00');
    await fake.completeCheckout(top_up.session_id);
    const job = await submit(t.app, t.ada, PHOTO_720P);
    expect(job.statusCode, job.body).toBe(200);
    await fake.refundCharge(fake.chargeOf(top_up.session_id).id);
    const balance = await balanceOf(t.ctx, t.ada);
    expect(balance.available_micro_usd).toBeLessThan(0n);
    const history = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/ledger',
      headers: t.ada.headers,
    });
    type Entry = { kind: string; amount_micro_usd: number; memo: string };
    const debits = (history.json().data as Entry[]).filter((entry) => entry.kind === 'debit');
    expect(debits.reduce((sum, entry) => sum + entry.amount_micro_usd, 0)).toBe(5_000_000);
    expect(debits[0]?.memo).toBe(`Top-up ${top_up.id} refunded`);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    const again = await buyTopUp(t, fake, '10.00');
    await fake.completeCheckout(again.session_id);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(
      balance.available_micro_usd + 10_000_000n,
    );
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });

  it('a lost dispute debits back the disputed amount once; an open or won one debits nothing', async () => {
    const won = await buyTopUp(t, fake, '10.00');
    await fake.completeCheckout(won.session_id);
    const wonDispute = await fake.openDispute(fake.chargeOf(won.session_id).id);
    expect((await getTopUpJson(t, won.id)).status).toBe('disputed');
    await fake.closeDispute(wonDispute.object.id, 'won');
    expect((await getTopUpJson(t, won.id)).status).toBe('paid');
    const lost = await buyTopUp(t, fake, '25.00');
    await fake.completeCheckout(lost.session_id);
    const opened = await fake.openDispute(fake.chargeOf(lost.session_id).id);
    const closed = await fake.closeDispute(opened.object.id, 'lost');
    await fake.deliver(closed.event);
    await fake.deliver(opened.event);
    expect(await getTopUpJson(t, lost.id)).toMatchObject({
      status: 'reversed',
      reversed_usd: '25.00',
    });
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(10_000_000n);
    const reversed = await eventsOf(t, 'top_up.reversed');
    expect(reversed.map((row) => JSON.parse(row.payload).reason)).toEqual(['dispute']);
    await expectLedgerBalanced(t.ctx);
  });

  it('events about no top-up of ours are acknowledged and change nothing', async () => {
    const stranger = fake.newEvent('checkout.session.completed', {
      id: 'cs_test_stranger',
      object: 'checkout.session',
      client_reference_id: 'topup_not_ours',
      payment_status: 'paid',
      metadata: {},
    });
    expect(await fake.deliver(stranger)).toBe(200);
    const other = fake.newEvent('customer.created', { id: 'cus_x', object: 'customer' });
    expect(await fake.deliver(other)).toBe(200);
    expect(await credits(t)).toHaveLength(0);
    await expectLedgerBalanced(t.ctx);
  });

  it('an expired session marks the top-up expired and credits nothing', async () => {
    const top_up = await buyTopUp(t, fake, '25.00');
    await fake.expireCheckout(top_up.session_id);
    expect(await getTopUpJson(t, top_up.id)).toMatchObject({
      status: 'expired',
      checkout_url: null,
    });
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(0n);
  });

  it('a paid checkout saves its customer and card for off-session charges', async () => {
    expect(await savedPaymentMethodOf(t.ctx.db, t.ada.account_id)).toBeNull();
    const top_up = await buyTopUp(t, fake, '25.00');
    await fake.completeCheckout(top_up.session_id);
    const session = fake.state.sessions.get(top_up.session_id)!;
    const intent = fake.state.payment_intents.get(String(session.payment_intent))!;
    expect(await savedPaymentMethodOf(t.ctx.db, t.ada.account_id)).toEqual({
      customer_id: session.customer,
      payment_method_id: intent.payment_method,
    });
  });
});
