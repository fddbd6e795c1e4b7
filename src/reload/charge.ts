/**
 * The off-session charge of one auto-reload, made OUTSIDE any database transaction: a
 * PaymentIntent confirmed at once on the payment method saved at Checkout, with a Stripe
 * idempotency key derived from the reload id, so a retry after a crash, or a second worker
 * racing the first, gets Stripe's stored answer for the same payment instead of paying twice.
 * Outcomes: `succeeded`; `failed` (a decline, a card that requires authentication (3DS) which an
 * off-session payment cannot get, a request Stripe refuses), with the reason; `retry` (Stripe
 * unreachable, a 5xx or rate limit, a payment still processing): nothing is known yet, and the
 * next attempt asks again with the same key.
 */
import Stripe from 'stripe';
import type { StripeClient } from '../payments/stripe-client.ts';
import { assert } from '../shared/assert.ts';
import type { SavedPaymentMethod } from './payment-method.ts';
import type { AutoReloadRow } from './reload.table.ts';

const MICRO_USD_PER_CENT = 10_000n;

export type ChargeOutcome =
  | { outcome: 'succeeded'; payment_intent_id: string }
  | {
      outcome: 'failed';
      /** Stripe's decline code when there is one, else its error code or the intent's status. */
      reason: string;
      message: string;
      payment_intent_id: string | null;
    }
  | { outcome: 'retry'; message: string };

/** The idempotency key of a reload's payment: one payment per reload, however often asked. */
export function reloadIdempotencyKey(reload_id: string): string {
  return `tollgate-auto-reload-${reload_id}`;
}

/** Charges `reload.amount_micro_usd` to the saved payment method; never throws for Stripe's answers. */
export async function chargeOffSession(
  stripe: StripeClient,
  charge: { reload: AutoReloadRow; method: SavedPaymentMethod },
): Promise<ChargeOutcome> {
  const { reload, method } = charge;
  assert(reload.amount_micro_usd % MICRO_USD_PER_CENT === 0n, 'a reload is whole cents');
  try {
    let intent = await stripe.paymentIntents.create(
      {
        amount: Number(reload.amount_micro_usd / MICRO_USD_PER_CENT),
        currency: 'usd',
        customer: method.customer_id,
        payment_method: method.payment_method_id,
        off_session: true,
        confirm: true,
        description: 'Tollgate auto-reload',
        metadata: { auto_reload_id: reload.id, account_id: reload.account_id },
      },
      { idempotencyKey: reloadIdempotencyKey(reload.id) },
    );
    // A replayed answer says what the payment was then; a processing one may have moved since.
    if (intent.status === 'processing') intent = await stripe.paymentIntents.retrieve(intent.id);
    return outcomeOfIntent(intent);
  } catch (err) {
    return outcomeOfError(err);
  }
}

function outcomeOfIntent(intent: Stripe.PaymentIntent): ChargeOutcome {
  if (intent.status === 'succeeded') return { outcome: 'succeeded', payment_intent_id: intent.id };
  if (intent.status === 'processing') {
    return { outcome: 'retry', message: `payment ${intent.id} is still processing` };
  }
  const error = intent.last_payment_error;
  return {
    outcome: 'failed',
    reason:
      intent.status === 'requires_action'
        ? 'requires_action'
        : (error?.decline_code ?? error?.code ?? intent.status),
    message: error?.message ?? `The payment ended as ${intent.status}.`,
    payment_intent_id: intent.id,
  };
}

function outcomeOfError(err: unknown): ChargeOutcome {
  if (err instanceof Stripe.errors.StripeCardError) {
    return {
      outcome: 'failed',
      reason: err.decline_code ?? err.code ?? 'card_declined',
      message: err.message,
      payment_intent_id: err.payment_intent?.id ?? null,
    };
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    return {
      outcome: 'failed',
      reason: err.code ?? 'invalid_request',
      message: err.message,
      payment_intent_id: err.payment_intent?.id ?? null,
    };
  }
  if (err instanceof Stripe.errors.StripeError) return { outcome: 'retry', message: err.message };
  throw err;
}
