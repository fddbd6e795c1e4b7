/**
 * Stripe's webhook: `verifyStripeEvent` checks the `Stripe-Signature` of the raw body with the
 * SDK (`webhooks.constructEvent`, our clock, a 5-minute tolerance) and `handleStripeEvent` turns
 * the events Tollgate cares about into facts about a top-up (`settle-top-up.ts`), applied in one
 * transaction. Network calls (finding a payment's top-up or saved payment method at Stripe)
 * happen before that transaction. An event about no top-up of ours is acknowledged and logged,
 * so Stripe stops sending it; a failure to apply one is a 500, so Stripe sends it again.
 */
import type Stripe from 'stripe';
import type { AppContext } from '../context.ts';
import { DomainError } from '../shared/errors.ts';
import type { SavedPaymentMethod } from './customers.ts';
import type { PaymentErrorCode } from './errors.ts';
import { type ApplyOutcome, applyTopUpFacts, type TopUpFacts } from './settle-top-up.ts';
import { type StripeClient, stripeClientFor } from './stripe-client.ts';
import type { CheckoutState } from './top-up-state.ts';

/** How old a signature may be (Stripe's default): a replay of an old delivery is refused. */
export const WEBHOOK_TOLERANCE_S = 300;
const MICRO_USD_PER_CENT = 10_000n;

/** The verified event; `webhook_signature_invalid` (param `Stripe-Signature`) otherwise. */
export function verifyStripeEvent(
  ctx: AppContext,
  request: { payload: string; signature: string | undefined },
): Stripe.Event {
  const stripe = stripeClientFor(ctx.config);
  const secret = ctx.config.stripe?.webhook_secret;
  if (stripe === null || secret === undefined) {
    throw new DomainError<PaymentErrorCode>(
      'payments_not_configured',
      'Stripe is not configured on this gateway.',
    );
  }
  try {
    if (request.signature === undefined) throw new Error('no Stripe-Signature header');
    const received_at_ms = Number(ctx.clock.now_ms());
    return stripe.webhooks.constructEvent(
      request.payload,
      request.signature,
      secret,
      WEBHOOK_TOLERANCE_S,
      undefined,
      received_at_ms,
    );
  } catch (err) {
    throw new DomainError<PaymentErrorCode>(
      'webhook_signature_invalid',
      'The Stripe-Signature header does not verify this body, or is too old.',
      { param: 'Stripe-Signature', cause: err },
    );
  }
}

export type HandledEvent = { event_id: string; type: string; outcome: ApplyOutcome | 'ignored' };

/** Applies one verified event; any number, order or repetition of events is safe. */
export async function handleStripeEvent(
  ctx: AppContext,
  event: Stripe.Event,
): Promise<HandledEvent> {
  const stripe = stripeClientFor(ctx.config);
  const facts = stripe === null ? null : await factsOf(ctx, stripe, event);
  const handled = (outcome: HandledEvent['outcome']) => ({
    event_id: event.id,
    type: event.type,
    outcome,
  });
  const applied =
    facts === null ? null : await ctx.committer.run((tx) => applyTopUpFacts(tx, facts));
  // Counted after the commit; a repeated event ends nothing, so it counts nothing.
  if (applied?.ended) ctx.counts.top_ups[applied.ended] += 1;
  const outcome = applied === null ? 'ignored' : applied.outcome;
  if (outcome !== 'applied') {
    ctx.log.info({ event_id: event.id, type: event.type, outcome }, 'stripe: event not applied');
  }
  return handled(outcome);
}

const CHECKOUT_EVENTS: Record<string, (session: Stripe.Checkout.Session) => CheckoutState> = {
  'checkout.session.completed': (s) => (s.payment_status === 'paid' ? 'paid' : 'processing'),
  'checkout.session.async_payment_succeeded': () => 'paid',
  'checkout.session.async_payment_failed': () => 'failed',
  'checkout.session.expired': () => 'expired',
};

async function factsOf(
  ctx: AppContext,
  stripe: StripeClient,
  event: Stripe.Event,
): Promise<TopUpFacts | null> {
  const checkout = CHECKOUT_EVENTS[event.type];
  if (checkout !== undefined) {
    return checkoutFacts(ctx, stripe, event.data.object as Stripe.Checkout.Session, checkout);
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object;
    const payment_intent_id = idOf(charge.payment_intent);
    const top_up_id =
      charge.metadata?.top_up_id ?? (await topUpIdOfPayment(ctx, stripe, payment_intent_id));
    if (top_up_id === null) return null;
    const refunded_micro_usd = BigInt(charge.amount_refunded) * MICRO_USD_PER_CENT;
    return { kind: 'refund', top_up_id, payment_intent_id, refunded_micro_usd };
  }
  if (event.type === 'charge.dispute.created' || event.type === 'charge.dispute.closed') {
    const dispute = event.data.object;
    const payment_intent_id = idOf(dispute.payment_intent);
    const top_up_id = await topUpIdOfPayment(ctx, stripe, payment_intent_id);
    if (top_up_id === null) return null;
    const state =
      dispute.status === 'lost'
        ? 'lost'
        : dispute.status === 'won' || dispute.status === 'warning_closed'
          ? 'won'
          : 'open';
    const disputed_micro_usd = BigInt(dispute.amount) * MICRO_USD_PER_CENT;
    return { kind: 'dispute', top_up_id, payment_intent_id, state, disputed_micro_usd };
  }
  return null;
}

async function checkoutFacts(
  ctx: AppContext,
  stripe: StripeClient,
  session: Stripe.Checkout.Session,
  stateOf: (session: Stripe.Checkout.Session) => CheckoutState,
): Promise<TopUpFacts | null> {
  const top_up_id = session.client_reference_id ?? session.metadata?.top_up_id ?? null;
  if (top_up_id === null || !(await isTopUp(ctx, top_up_id))) return null;
  const state = stateOf(session);
  const payment_intent_id = idOf(session.payment_intent);
  const customer_id = idOf(session.customer);
  const saved =
    state === 'paid' && payment_intent_id !== null && customer_id !== null
      ? await savedMethodOf(ctx, stripe, { payment_intent_id, customer_id })
      : null;
  return {
    kind: 'checkout',
    top_up_id,
    account_id: session.metadata?.account_id ?? null,
    session_id: session.id,
    payment_intent_id,
    state,
    saved,
  };
}

/**
 * The payment method a paid Checkout saved for later, from its PaymentIntent. Saving it is not
 * worth failing the credit for: on a Stripe error it is logged and the next top-up saves one.
 */
async function savedMethodOf(
  ctx: AppContext,
  stripe: StripeClient,
  paid: { payment_intent_id: string; customer_id: string },
): Promise<SavedPaymentMethod | null> {
  try {
    const intent = await stripe.paymentIntents.retrieve(paid.payment_intent_id);
    const payment_method_id = idOf(intent.payment_method);
    if (payment_method_id === null || intent.setup_future_usage !== 'off_session') return null;
    return { customer_id: paid.customer_id, payment_method_id };
  } catch (err) {
    ctx.log.warn({ err, ...paid }, 'stripe: could not read the payment method of a paid checkout');
    return null;
  }
}

/**
 * The top-up a payment paid for: ours by its PaymentIntent once the Checkout completed, else
 * the PaymentIntent's own metadata at Stripe (a refund or dispute delivered before the
 * completion). A Stripe error here throws: the event is retried later.
 */
async function topUpIdOfPayment(
  ctx: AppContext,
  stripe: StripeClient,
  payment_intent_id: string | null,
): Promise<string | null> {
  if (payment_intent_id === null) return null;
  const row = await ctx.db
    .selectFrom('top_ups')
    .select('id')
    .where('payment_intent_id', '=', payment_intent_id)
    .executeTakeFirst();
  if (row !== undefined) return row.id;
  const intent = await stripe.paymentIntents.retrieve(payment_intent_id);
  return intent.metadata?.top_up_id ?? null;
}

async function isTopUp(ctx: AppContext, top_up_id: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('top_ups')
    .select('id')
    .where('id', '=', top_up_id)
    .executeTakeFirst();
  return row !== undefined;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}
