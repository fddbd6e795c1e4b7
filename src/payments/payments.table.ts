/** Table types of the payments domain (top-ups bought with Stripe, Stripe customers). */
import type { Selectable } from 'kysely';

export type TopUpTable = {
  id: string;
  account_id: string;
  /** What the customer buys and is credited when paid. */
  amount_micro_usd: bigint;
  /** `open`, `processing` (a delayed method), `paid`, `failed` or `expired` (`top-up-state.ts`). */
  checkout_state: string;
  /** Null until the Checkout Session exists (a crash between the two leaves it null). */
  checkout_session_id: string | null;
  checkout_url: string | null;
  payment_intent_id: string | null;
  /** Stripe's cumulative `amount_refunded` of the charge, at most the amount. */
  refunded_micro_usd: bigint;
  /** Null, `open`, `won` or `lost`. */
  dispute_state: string | null;
  /** The amount of a lost dispute. */
  disputed_micro_usd: bigint;
  /** What has been debited back from the wallet for refunds and lost disputes. */
  reversed_micro_usd: bigint;
  credited_at_ms: bigint | null;
  created_at_ms: bigint;
  updated_at_ms: bigint;
};

export type TopUpCreditTable = {
  top_up_id: string;
  checkout_session_id: string;
  /** The grant that credited it (set in the same transaction as the row). */
  grant_id: string | null;
  amount_micro_usd: bigint;
  created_at_ms: bigint;
};

export type TopUpReversalTable = {
  id: string;
  top_up_id: string;
  /** `refund` or `dispute`. */
  reason: string;
  amount_micro_usd: bigint;
  /** The top-up's `reversed_micro_usd` after this reversal (unique per top-up). */
  reversed_through_micro_usd: bigint;
  transfer_id: string;
  created_at_ms: bigint;
};

export type StripeCustomerTable = {
  account_id: string;
  customer_id: string;
  /** The payment method saved at Checkout for off-session charges (auto-reload). */
  payment_method_id: string | null;
  created_at_ms: bigint;
  updated_at_ms: bigint;
};

export type PaymentsTables = {
  top_ups: TopUpTable;
  top_up_credits: TopUpCreditTable;
  top_up_reversals: TopUpReversalTable;
  stripe_customers: StripeCustomerTable;
};
export type TopUpRow = Selectable<TopUpTable>;
export type StripeCustomerRow = Selectable<StripeCustomerTable>;
