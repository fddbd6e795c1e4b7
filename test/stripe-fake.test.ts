/**
 * The official SDK works against the Stripe fake: what Tollgate sends is accepted, what Stripe
 * would refuse is refused with Stripe's error shapes, and the events the fake sends verify with
 * the SDK's own `constructEvent`.
 */
import Stripe from 'stripe';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { stripeClientFor } from '../src/payments/stripe-client.ts';
import { CARD_DECLINED, startStripeFake, type WebhookRequest } from './stripe-fake.ts';

const fake = await startStripeFake();
afterAll(() => fake.close());
const stripe = stripeClientFor(loadConfig({ ...fake.env }))!;

async function paidSession(): Promise<Stripe.Checkout.Session> {
  const customer = await stripe.customers.create({ metadata: { account_id: 'acct_1' } });
  return stripe.checkout.sessions.create({
    mode: 'payment',
    customer: customer.id,
    client_reference_id: 'topup_1',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'usd', unit_amount: 2500, product_data: { name: 'Balance' } },
      },
    ],
    payment_intent_data: { setup_future_usage: 'off_session', metadata: { top_up_id: 'topup_1' } },
    success_url: 'http://localhost/ok',
    cancel_url: 'http://localhost/cancel',
  });
}

describe('the Stripe SDK against the fake', () => {
  const received: WebhookRequest[] = [];
  beforeEach(() => {
    fake.reset();
    fake.declinePayments(null);
    received.length = 0;
    fake.setWebhookTarget(async (request) => {
      received.push(request);
      return 200;
    });
  });

  it('creates a Checkout Session from the config built with STRIPE_API_BASE', async () => {
    const session = await paidSession();
    expect(session).toMatchObject({
      object: 'checkout.session',
      amount_total: 2500,
      status: 'open',
    });
    expect(session.url).toBe(`${fake.url}/checkout/${session.id}`);
    const again = await stripe.checkout.sessions.retrieve(session.id);
    expect(again.client_reference_id).toBe('topup_1');
  });

  it('refuses an unknown parameter and a missing one with the param named, as Stripe does', async () => {
    const unknown = stripe.customers.create({ colour: 'red' } as Stripe.CustomerCreateParams);
    await expect(unknown).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
      param: 'colour',
    });
    const missing = stripe.checkout.sessions.create({ mode: 'payment' });
    await expect(missing).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'success_url',
    });
    const lost = stripe.checkout.sessions.retrieve('cs_test_nope');
    await expect(lost).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('replays a POST under the same idempotency key and refuses the key with other params', async () => {
    const first = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'k1' });
    const second = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'k1' });
    expect(second.id).toBe(first.id);
    const other = stripe.customers.create({ name: 'Bob' }, { idempotencyKey: 'k1' });
    await expect(other).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
    expect(fake.state.customers.size).toBe(1);
  });

  it('sends a paid completion that constructEvent verifies, and saves the card for later', async () => {
    const session = await paidSession();
    const { event, status } = await fake.completeCheckout(session.id);
    expect(status).toBe(200);
    const { payload, headers } = received[0]!;
    const verified = stripe.webhooks.constructEvent(
      payload,
      headers['stripe-signature']!,
      fake.webhook_secret,
    );
    expect(verified.id).toBe(event.id);
    const completed = verified.data.object as Stripe.Checkout.Session;
    expect(completed.payment_status).toBe('paid');
    const intent = await stripe.paymentIntents.retrieve(String(completed.payment_intent));
    const method = await stripe.paymentMethods.retrieve(String(intent.payment_method));
    expect(method.customer).toBe(session.customer);
  });

  it('an off-session charge with the saved card succeeds, and is declined when switched', async () => {
    const session = await paidSession();
    await fake.completeCheckout(session.id);
    const intent = await stripe.paymentIntents.retrieve(
      String((await stripe.checkout.sessions.retrieve(session.id)).payment_intent),
    );
    const charge = {
      customer: String(session.customer),
      payment_method: String(intent.payment_method),
      amount: 1000,
      currency: 'usd',
      off_session: true,
      confirm: true,
    };
    expect((await stripe.paymentIntents.create(charge)).status).toBe('succeeded');
    fake.declinePayments(CARD_DECLINED);
    await expect(stripe.paymentIntents.create(charge)).rejects.toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'card_declined',
    });
  });

  it('a delayed payment completes unpaid, then succeeds; refunds are cumulative', async () => {
    const session = await paidSession();
    const completed = await fake.completeCheckout(session.id, { delayed: true });
    expect(completed.event.data.object).toMatchObject({ payment_status: 'unpaid' });
    const settled = await fake.settleDelayedPayment(session.id, 'succeeded');
    expect(settled.event.type).toBe('checkout.session.async_payment_succeeded');
    const charge = fake.chargeOf(session.id);
    await fake.refundCharge(charge.id, 500);
    const refunded = await fake.refundCharge(charge.id);
    expect(refunded.event.data.object).toMatchObject({ amount_refunded: 2500, refunded: true });
    const dispute = await fake.openDispute(charge.id);
    const closed = await fake.closeDispute(dispute.object.id, 'lost');
    expect(closed.event.data.object).toMatchObject({ status: 'lost', charge: charge.id });
  });

  it('a signature with another secret or an old timestamp fails constructEvent', async () => {
    const session = await paidSession();
    const { event } = await fake.completeCheckout(session.id);
    const forged = fake.signedDelivery(event, { secret: 'whsec_other' });
    const verify = (request: WebhookRequest) =>
      stripe.webhooks.constructEvent(
        request.payload,
        request.headers['stripe-signature']!,
        fake.webhook_secret,
      );
    expect(() => verify(forged)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const stale = fake.signedDelivery(event, { timestamp_s: Math.floor(Date.now() / 1000) - 600 });
    expect(() => verify(stale)).toThrow(/timestamp outside the tolerance/i);
  });
});
