/**
 * The status of a top-up, computed from what Stripe has told us (pure). A top-up's facts only
 * grow — the checkout moves forward, the cumulative refund and a lost dispute only rise — so any
 * number, order or duplication of webhooks leads to the same facts, and from them to the same
 * status and the same amount owed back:
 *
 * - `pending`: waiting for Checkout, or for a delayed payment method to settle;
 * - `paid`: credited to the wallet;
 * - `failed`: the delayed payment failed; `expired`: the session ended unpaid (nothing credited);
 * - `partially_refunded` / `refunded`: credited, then part or all refunded (and debited back);
 * - `disputed`: credited, a dispute is open (nothing debited until it is lost);
 * - `reversed`: credited, then the dispute was lost (the disputed amount debited back).
 */
import type { TopUpRow } from './payments.table.ts';

export const TOP_UP_STATUSES = [
  'pending',
  'paid',
  'failed',
  'expired',
  'partially_refunded',
  'refunded',
  'disputed',
  'reversed',
] as const;
export type TopUpStatus = (typeof TOP_UP_STATUSES)[number];

/** Where the Checkout stands, in the only order it can move (a later state never goes back). */
export const CHECKOUT_STATES = ['open', 'processing', 'failed', 'expired', 'paid'] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];

type Facts = Pick<
  TopUpRow,
  | 'amount_micro_usd'
  | 'checkout_state'
  | 'refunded_micro_usd'
  | 'dispute_state'
  | 'disputed_micro_usd'
  | 'credited_at_ms'
>;

export function topUpStatus(row: Facts): TopUpStatus {
  if (row.credited_at_ms === null) {
    if (row.checkout_state === 'failed') return 'failed';
    if (row.checkout_state === 'expired') return 'expired';
    return 'pending';
  }
  if (row.dispute_state === 'lost') return 'reversed';
  if (row.dispute_state === 'open') return 'disputed';
  if (row.refunded_micro_usd >= row.amount_micro_usd) return 'refunded';
  if (row.refunded_micro_usd > 0n) return 'partially_refunded';
  return 'paid';
}

/**
 * The checkout state after learning `next`: `paid` is final; `failed` and `expired` yield only to
 * `paid` (Stripe never pays a failed session, but a reordered delivery must not un-pay one);
 * `processing` replaces `open`.
 */
export function nextCheckoutState(current: string, next: CheckoutState): CheckoutState {
  const rank = (state: string) => CHECKOUT_STATES.indexOf(state as CheckoutState);
  return rank(next) > rank(current) ? next : (current as CheckoutState);
}

/**
 * What the wallet should have been debited back in total: the refunded and the lost-disputed
 * amounts, never more than was credited (and nothing before the credit).
 */
export function reversalTarget(row: Facts): bigint {
  if (row.credited_at_ms === null) return 0n;
  const owed =
    row.refunded_micro_usd + (row.dispute_state === 'lost' ? row.disputed_micro_usd : 0n);
  return owed < row.amount_micro_usd ? owed : row.amount_micro_usd;
}

/**
 * The refunded amount after Stripe reports a cumulative `reported` (capped at the amount): the
 * larger of what we knew and what is reported, so a stale or repeated report changes nothing.
 */
export function refundedAfter(row: Facts, reported_micro_usd: bigint): bigint {
  let refunded = reported_micro_usd;
  if (refunded > row.amount_micro_usd) refunded = row.amount_micro_usd;
  if (refunded < row.refunded_micro_usd) refunded = row.refunded_micro_usd;
  return refunded;
}
