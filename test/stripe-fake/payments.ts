/**
 * What happens to money inside the Stripe fake: customers, Checkout Sessions, a customer paying
 * (now, or by a delayed method that later succeeds or fails), off-session PaymentIntents that
 * succeed or are declined per the test switch, refunds (cumulative `amount_refunded` on the
 * charge) and disputes. Each function changes `FakeState` and returns the object an event or a
 * response carries; none sends anything.
 */
import { invalidRequest, StripeFakeError } from './form.ts';
import { type FakeState, newStripeId, type StripeObject, snapshot } from './state.ts';

export type Now = () => number;

function seconds(now: Now): number {
  return Math.floor(now() / 1000);
}

export function must(map: Map<string, StripeObject>, id: string, kind: string): StripeObject {
  const found = map.get(id);
  if (found === undefined) {
    throw new StripeFakeError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${kind}: '${id}'`,
      param: 'id',
    });
  }
  return found;
}

export function createCustomer(state: FakeState, now: Now, params: Record<string, unknown>) {
  const customer: StripeObject = {
    id: newStripeId('cus'),
    object: 'customer',
    created: seconds(now),
    email: params.email ?? null,
    name: params.name ?? null,
    description: params.description ?? null,
    metadata: params.metadata ?? {},
    invoice_settings: { default_payment_method: null },
    livemode: false,
  };
  state.customers.set(customer.id, customer);
  return customer;
}

type LineItem = { quantity?: number; price_data?: { currency: string; unit_amount: number } };

export function createSession(
  state: FakeState,
  now: Now,
  base: string,
  p: Record<string, unknown>,
) {
  if (p.mode !== 'payment') {
    throw invalidRequest('parameter_invalid', 'The fake supports mode=payment only', 'mode');
  }
  const items = p.line_items as LineItem[] | undefined;
  if (items === undefined || items.length === 0) {
    throw invalidRequest('parameter_missing', 'Missing required param: line_items.', 'line_items');
  }
  let amount_total = 0;
  for (const [index, item] of items.entries()) {
    if (item.price_data === undefined) {
      const param = `line_items[${index}][price_data]`;
      throw invalidRequest('parameter_missing', `Missing required param: ${param}.`, param);
    }
    if (item.price_data.currency !== 'usd') {
      const param = `line_items[${index}][price_data][currency]`;
      throw invalidRequest('parameter_invalid', 'The fake supports usd only', param);
    }
    amount_total += item.price_data.unit_amount * (item.quantity ?? 1);
  }
  if (amount_total < 50) {
    throw invalidRequest('amount_too_small', 'Amount must be at least $0.50 usd', 'line_items');
  }
  if (typeof p.customer === 'string') must(state.customers, p.customer, 'customer');
  const id = newStripeId('cs_test');
  const created = seconds(now);
  const session: StripeObject = {
    id,
    object: 'checkout.session',
    mode: 'payment',
    status: 'open',
    payment_status: 'unpaid',
    amount_subtotal: amount_total,
    amount_total,
    currency: 'usd',
    customer: p.customer ?? null,
    customer_email: p.customer_email ?? null,
    client_reference_id: p.client_reference_id ?? null,
    metadata: p.metadata ?? {},
    payment_intent: null,
    success_url: p.success_url,
    cancel_url: p.cancel_url ?? null,
    url: `${base}/checkout/${id}`,
    created,
    expires_at: p.expires_at ?? created + 24 * 60 * 60,
    livemode: false,
    // Kept for paying later, as Stripe keeps them on the session's PaymentIntent.
    payment_intent_data: p.payment_intent_data ?? {},
  };
  state.sessions.set(id, session);
  return session;
}

/** The session as the API shows it (without the creation parameters the fake keeps). */
export function publicSession(session: StripeObject): StripeObject {
  const { payment_intent_data: _kept, ...rest } = snapshot(session);
  return rest as StripeObject;
}

/** A succeeded charge of the whole intent, recorded as the intent's latest charge. */
export function createCharge(state: FakeState, now: Now, intent: StripeObject): StripeObject {
  const charge: StripeObject = {
    id: newStripeId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: intent.amount,
    amount_refunded: 0,
    refunded: false,
    disputed: false,
    paid: true,
    captured: true,
    status: 'succeeded',
    currency: 'usd',
    customer: intent.customer,
    payment_intent: intent.id,
    payment_method: intent.payment_method,
    metadata: snapshot(intent.metadata),
    created: seconds(now),
    livemode: false,
  };
  state.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  return charge;
}

function createPaymentMethod(state: FakeState, now: Now, type: 'card' | 'us_bank_account') {
  const method: StripeObject = {
    id: newStripeId('pm'),
    object: 'payment_method',
    type,
    customer: null,
    created: seconds(now),
    livemode: false,
    ...(type === 'card'
      ? { card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 } }
      : { us_bank_account: { bank_name: 'STRIPE TEST BANK', last4: '6789' } }),
  };
  state.payment_methods.set(method.id, method);
  return method;
}

/**
 * The customer completes Checkout: a PaymentMethod (attached to the customer when the session
 * asked for `setup_future_usage`), a PaymentIntent, and a charge when paid now. A delayed method
 * leaves the PaymentIntent `processing` and the session `unpaid`.
 */
export function payCheckout(state: FakeState, now: Now, session_id: string, delayed: boolean) {
  const session = must(state.sessions, session_id, 'checkout.session');
  if (session.status !== 'open') {
    throw invalidRequest('checkout_session_not_open', `Session ${session_id} is ${session.status}`);
  }
  const data = session.payment_intent_data as Record<string, unknown>;
  const method = createPaymentMethod(state, now, delayed ? 'us_bank_account' : 'card');
  if (data.setup_future_usage !== undefined && session.customer !== null) {
    method.customer = session.customer;
  }
  const intent: StripeObject = {
    id: newStripeId('pi'),
    object: 'payment_intent',
    amount: session.amount_total,
    amount_received: delayed ? 0 : session.amount_total,
    currency: 'usd',
    customer: session.customer,
    payment_method: method.id,
    setup_future_usage: data.setup_future_usage ?? null,
    metadata: data.metadata ?? {},
    description: data.description ?? null,
    status: delayed ? 'processing' : 'succeeded',
    latest_charge: null,
    last_payment_error: null,
    created: seconds(now),
    livemode: false,
  };
  state.payment_intents.set(intent.id, intent);
  if (!delayed) createCharge(state, now, intent);
  session.status = 'complete';
  session.payment_status = delayed ? 'unpaid' : 'paid';
  session.payment_intent = intent.id;
  return session;
}

/** A delayed payment settles: its charge is made and the session is `paid`. */
export function settleDelayed(state: FakeState, now: Now, session_id: string, succeeded: boolean) {
  const session = must(state.sessions, session_id, 'checkout.session');
  const intent = must(state.payment_intents, String(session.payment_intent), 'payment_intent');
  if (intent.status !== 'processing') {
    throw invalidRequest('payment_intent_unexpected_state', `PaymentIntent is ${intent.status}`);
  }
  if (succeeded) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    createCharge(state, now, intent);
    session.payment_status = 'paid';
  } else {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = { code: 'payment_method_provider_decline', type: 'card_error' };
  }
  return session;
}

export function expireSession(state: FakeState, session_id: string) {
  const session = must(state.sessions, session_id, 'checkout.session');
  if (session.status !== 'open') {
    throw invalidRequest('checkout_session_not_open', `Session ${session_id} is ${session.status}`);
  }
  session.status = 'expired';
  session.url = null;
  return session;
}
