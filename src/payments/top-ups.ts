/**
 * Buying balance with Stripe Checkout: `openTopUp` records a pending top-up and creates its
 * Checkout Session; `attachCheckout` (the route's idempotent write) stores the session on the
 * top-up in the transaction that stores the response. The Stripe calls happen between the two
 * transactions, never inside one.
 *
 * A crash between them leaves a pending top-up without a session, shown as `pending` with no
 * `checkout_url`; nothing is charged. A retry under the same `Idempotency-Key` finds the same
 * top-up (its id is derived from the key) and asks Stripe with an idempotency key derived from the
 * top-up id, so Stripe answers with the session it already made instead of a second one.
 * The session carries the top-up id (`client_reference_id`, metadata) so the webhook finds the
 * top-up even if the session was never attached here.
 */
import { createHash } from 'node:crypto';
import type { AppContext, TxContext } from '../context.ts';
import type { IdempotencyKeyRef } from '../idempotency/idempotency.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { formatMicroUsd } from '../shared/money.ts';
import { ensureStripeCustomer } from './customers.ts';
import type { PaymentErrorCode } from './errors.ts';
import type { TopUpRow } from './payments.table.ts';
import { type StripeClient, stripeClientFor } from './stripe-client.ts';

const MICRO_USD_PER_CENT = 10_000n;

export type OpenedTopUp = { top_up: TopUpRow; session_id: string; checkout_url: string };

/**
 * Records the pending top-up (or finds the one a previous attempt under the same key recorded)
 * and creates, or gets back, its Checkout Session. `payments_not_configured` without Stripe,
 * `top_up_amount_invalid` (param `amount_usd`) outside the limits or below a cent,
 * `payment_provider_failed` if Stripe fails (nothing is charged; a retry is safe).
 */
export async function openTopUp(
  ctx: AppContext,
  input: { account_id: string; amount_micro_usd: bigint; idempotency: IdempotencyKeyRef | null },
): Promise<OpenedTopUp> {
  const stripe = requireStripe(ctx);
  checkTopUpAmount(ctx, input.amount_micro_usd);
  const id = topUpIdFor(ctx, input.idempotency);
  const top_up = await ctx.committer.run((tx) =>
    insertPendingTopUp(tx, { id, account_id: input.account_id, amount: input.amount_micro_usd }),
  );
  try {
    const customer = await ensureStripeCustomer(ctx, stripe, top_up.account_id);
    const session = await createCheckoutSession(ctx, stripe, { top_up, customer });
    assert(session.url !== null, 'a hosted Checkout Session has a URL');
    return { top_up, session_id: session.id, checkout_url: session.url };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    ctx.log.error({ err, top_up_id: top_up.id }, 'stripe: could not open a Checkout Session');
    throw new DomainError<PaymentErrorCode>(
      'payment_provider_failed',
      'The payment provider could not start a checkout; nothing was charged. Retry later.',
      { cause: err },
    );
  }
}

function requireStripe(ctx: AppContext): StripeClient {
  const stripe = stripeClientFor(ctx.config);
  if (stripe === null) {
    throw new DomainError<PaymentErrorCode>(
      'payments_not_configured',
      'Top-ups are not enabled on this gateway; ask the operator to add balance.',
    );
  }
  return stripe;
}

function checkTopUpAmount(ctx: AppContext, amount: bigint): void {
  const { top_up_min_micro_usd: min, top_up_max_micro_usd: max } = ctx.config.limits;
  if (amount < min || amount > max || amount % MICRO_USD_PER_CENT !== 0n) {
    throw new DomainError<PaymentErrorCode>(
      'top_up_amount_invalid',
      `amount_usd must be whole cents from ${formatMicroUsd(min)} to ${formatMicroUsd(max)}.`,
      { param: 'amount_usd' },
    );
  }
}

/** A fresh id, or the same id for every attempt under one `Idempotency-Key`. */
function topUpIdFor(ctx: AppContext, idempotency: IdempotencyKeyRef | null): string {
  if (idempotency === null) return ctx.ids.newId('topup');
  const digest = createHash('sha256').update(`${idempotency.scope}\n${idempotency.key}`);
  return `topup_${digest.digest('base64url').slice(0, 27)}`;
}

async function insertPendingTopUp(
  tx: TxContext,
  input: { id: string; account_id: string; amount: bigint },
): Promise<TopUpRow> {
  const now_ms = tx.clock.now_ms();
  await tx.db
    .insertInto('top_ups')
    .values({
      id: input.id,
      account_id: input.account_id,
      amount_micro_usd: input.amount,
      checkout_state: 'open',
      checkout_session_id: null,
      checkout_url: null,
      payment_intent_id: null,
      refunded_micro_usd: 0n,
      dispute_state: null,
      disputed_micro_usd: 0n,
      reversed_micro_usd: 0n,
      credited_at_ms: null,
      created_at_ms: now_ms,
      updated_at_ms: now_ms,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  const row = await tx.db
    .selectFrom('top_ups')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirstOrThrow();
  // The same key replays the same request (its body hash is checked), so the same account/amount.
  assert(row.account_id === input.account_id, 'a top-up id belongs to one account');
  assert(row.amount_micro_usd === input.amount, 'a top-up id has one amount');
  return row;
}

function createCheckoutSession(
  ctx: AppContext,
  stripe: StripeClient,
  input: { top_up: TopUpRow; customer: string },
) {
  const { top_up, customer } = input;
  const metadata = { top_up_id: top_up.id, account_id: top_up.account_id };
  const base = ctx.config.public_url;
  return stripe.checkout.sessions.create(
    {
      mode: 'payment',
      customer,
      client_reference_id: top_up.id,
      metadata,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: 'usd',
            unit_amount: Number(top_up.amount_micro_usd / MICRO_USD_PER_CENT),
            product_data: { name: 'Tollgate balance' },
          },
        },
      ],
      payment_intent_data: { setup_future_usage: 'off_session', metadata },
      success_url: `${base}/billing/top-ups/${top_up.id}?checkout=success`,
      cancel_url: `${base}/billing/top-ups/${top_up.id}?checkout=cancel`,
    },
    { idempotencyKey: `tollgate-top-up-${top_up.id}` },
  );
}

/**
 * Stores the session on the top-up (the first one stored stays) and returns the row. Runs in the
 * transaction that stores the route's response.
 */
export async function attachCheckout(tx: TxContext, opened: OpenedTopUp): Promise<TopUpRow> {
  await tx.db
    .updateTable('top_ups')
    .set({
      checkout_session_id: opened.session_id,
      checkout_url: opened.checkout_url,
      updated_at_ms: tx.clock.now_ms(),
    })
    .where('id', '=', opened.top_up.id)
    .where('checkout_session_id', 'is', null)
    .execute();
  return tx.db
    .selectFrom('top_ups')
    .selectAll()
    .where('id', '=', opened.top_up.id)
    .executeTakeFirstOrThrow();
}
