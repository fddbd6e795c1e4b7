/**
 * Money after Checkout in the Stripe fake: off-session PaymentIntents (auto-reload) that succeed
 * or are declined per the test switch, refunds that raise the charge's cumulative
 * `amount_refunded`, and disputes that are opened and then won or lost.
 */
import { invalidRequest, StripeFakeError } from './form.ts';
import { createCharge, must, type Now } from './payments.ts';
import { type FakeState, newStripeId, type StripeObject, snapshot } from './state.ts';

function seconds(now: Now): number {
  return Math.floor(now() / 1000);
}

/**
 * `POST /v1/payment_intents`. With `confirm`, a payment method and no decline switch it succeeds
 * at once (a charge is made); with the switch on it answers Stripe's 402 `card_error`.
 */
export function createPaymentIntent(state: FakeState, now: Now, p: Record<string, unknown>) {
  if (p.currency !== 'usd') {
    throw invalidRequest('parameter_invalid', 'The fake supports usd only', 'currency');
  }
  if ((p.amount as number) < 50) {
    throw invalidRequest('amount_too_small', 'Amount must be at least $0.50 usd', 'amount');
  }
  if (typeof p.customer === 'string') must(state.customers, p.customer, 'customer');
  if (typeof p.payment_method === 'string') {
    const method = must(state.payment_methods, p.payment_method, 'payment_method');
    if (p.customer !== undefined && method.customer !== p.customer) {
      throw invalidRequest(
        'payment_method_not_attached',
        `The provided PaymentMethod ${method.id} is not attached to customer ${p.customer}.`,
        'payment_method',
      );
    }
  }
  if (p.off_session === true && p.confirm !== true) {
    throw invalidRequest('parameter_invalid', 'off_session requires confirm=true', 'off_session');
  }
  const intent: StripeObject = {
    id: newStripeId('pi'),
    object: 'payment_intent',
    amount: p.amount,
    amount_received: 0,
    currency: 'usd',
    customer: p.customer ?? null,
    payment_method: p.payment_method ?? null,
    setup_future_usage: p.setup_future_usage ?? null,
    metadata: p.metadata ?? {},
    description: p.description ?? null,
    status: p.payment_method === undefined ? 'requires_payment_method' : 'requires_confirmation',
    latest_charge: null,
    last_payment_error: null,
    created: seconds(now),
    livemode: false,
  };
  state.payment_intents.set(intent.id, intent);
  if (p.confirm === true) confirmIntent(state, now, intent);
  return intent;
}

function confirmIntent(state: FakeState, now: Now, intent: StripeObject): void {
  if (intent.payment_method === null) {
    throw invalidRequest(
      'payment_intent_unexpected_state',
      "You cannot confirm this PaymentIntent because it's missing a payment method.",
      'payment_method',
    );
  }
  const decline = state.decline;
  if (decline !== null) {
    const error = { type: 'card_error', ...decline };
    intent.status = 'requires_payment_method';
    intent.last_payment_error = snapshot(error);
    throw new StripeFakeError(402, { ...error, payment_intent: snapshot(intent) });
  }
  createCharge(state, now, intent);
  intent.status = 'succeeded';
  intent.amount_received = intent.amount;
}

/** `POST /v1/refunds`: by charge or PaymentIntent; the whole remainder unless `amount`. */
export function createRefund(state: FakeState, now: Now, p: Record<string, unknown>) {
  let chargeId = p.charge as string | undefined;
  if (chargeId === undefined && typeof p.payment_intent === 'string') {
    const intent = must(state.payment_intents, p.payment_intent, 'payment_intent');
    chargeId = (intent.latest_charge as string | null) ?? undefined;
  }
  if (chargeId === undefined) {
    throw invalidRequest('parameter_missing', 'Missing required param: charge.', 'charge');
  }
  const charge = must(state.charges, chargeId, 'charge');
  const remaining = (charge.amount as number) - (charge.amount_refunded as number);
  const amount = (p.amount as number | undefined) ?? remaining;
  if (amount <= 0 || amount > remaining) {
    throw invalidRequest(
      'charge_already_refunded',
      `Refund amount ($${amount / 100}) is greater than unrefunded amount on charge ($${remaining / 100})`,
      'amount',
    );
  }
  const refund: StripeObject = {
    id: newStripeId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    payment_intent: charge.payment_intent,
    currency: 'usd',
    reason: p.reason ?? null,
    metadata: p.metadata ?? {},
    status: 'succeeded',
    created: seconds(now),
  };
  state.refunds.set(refund.id, refund);
  charge.amount_refunded = (charge.amount_refunded as number) + amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  return { refund, charge };
}

/** The cardholder disputes a charge (the whole amount unless `amount_cents`). */
export function openDispute(state: FakeState, now: Now, charge_id: string, amount?: number) {
  const charge = must(state.charges, charge_id, 'charge');
  const dispute: StripeObject = {
    id: newStripeId('dp'),
    object: 'dispute',
    amount: amount ?? charge.amount,
    charge: charge.id,
    payment_intent: charge.payment_intent,
    currency: 'usd',
    reason: 'fraudulent',
    status: 'needs_response',
    metadata: {},
    created: seconds(now),
    livemode: false,
  };
  state.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  return dispute;
}

export function closeDispute(state: FakeState, dispute_id: string, outcome: 'won' | 'lost') {
  const dispute = must(state.disputes, dispute_id, 'dispute');
  if (dispute.status === 'won' || dispute.status === 'lost') {
    throw invalidRequest('dispute_already_closed', `Dispute ${dispute_id} is ${dispute.status}`);
  }
  dispute.status = outcome;
  return dispute;
}
