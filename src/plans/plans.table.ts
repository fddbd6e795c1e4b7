/** Table types of web plans. Every integer column is int8 and arrives as a `bigint`. */
import type { Selectable } from 'kysely';

/** An operator's plan (a row overrides the built-in default of the same id). */
export type PlanTable = {
  id: string;
  name: string;
  /** The plan as HeyGen names it in `users/me.subscription.plan` (`HEYGEN_PLANS`). */
  heygen_plan: string;
  /** Premium credits granted at the start of each cycle, in thousandths of a credit. */
  premium_credit_milli: bigint;
  /** How many calendar months a cycle lasts. */
  cycle_months: bigint;
  /** Jobs in flight at once through OAuth credentials on this plan. */
  oauth_concurrency_limit: bigint;
  updated_at_ms: bigint;
};

/** An account's web plan and its current premium-credit cycle. */
export type SubscriptionTable = {
  account_id: string;
  plan_id: string;
  /** When the first cycle started; every reset falls a whole number of cycles after it. */
  anchor_at_ms: bigint;
  /** 1, 2, 3, …: the current cycle (its ledger account is `credits:<account>:premium:<n>`). */
  cycle_number: bigint;
  cycle_started_at_ms: bigint;
  /** When the current cycle's unused premium credits expire and the next allowance is granted. */
  resets_at_ms: bigint;
  created_at_ms: bigint;
  updated_at_ms: bigint;
};

/** One premium-credit cycle of an account: its ledger account and its allowance. */
export type CreditCycleTable = {
  ledger_account_id: string;
  account_id: string;
  cycle_number: bigint;
  plan_id: string;
  allowance_credit_milli: bigint;
  started_at_ms: bigint;
  ends_at_ms: bigint;
  /** Set once the cycle has ended and has nothing free or held left. */
  closed_at_ms: bigint | null;
};

/** An add-on credit pack granted to an account (the credits are in its add-on ledger account). */
export type CreditPackTable = {
  id: string;
  account_id: string;
  amount_credit_milli: bigint;
  memo: string | null;
  transfer_id: string;
  created_at_ms: bigint;
};

export type CreditRateCardTable = {
  version: string;
  effective_at_ms: bigint;
  /** The card's rows as submitted (`{sku, per, credits}`; credits as decimal strings). */
  rows_json: string;
  created_at_ms: bigint;
};

/** The credits of a job on the `web_plan` pool (its USD columns stay its USD price). */
export type JobCreditsTable = {
  job_id: string;
  account_id: string;
  credit_rate_card_version: string;
  hold_credit_milli: bigint;
  /** Set when the job completes: what it was charged (0 when it failed or was cancelled). */
  charged_credit_milli: bigint | null;
  /** Of the price, what neither the hold nor the free credits could cover (not charged). */
  uncollected_credit_milli: bigint | null;
  created_at_ms: bigint;
};

export type PlansTables = {
  plans: PlanTable;
  subscriptions: SubscriptionTable;
  credit_cycles: CreditCycleTable;
  credit_packs: CreditPackTable;
  credit_rate_cards: CreditRateCardTable;
  job_credits: JobCreditsTable;
};

export type PlanRow = Selectable<PlanTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type CreditCycleRow = Selectable<CreditCycleTable>;
export type CreditPackRow = Selectable<CreditPackTable>;
export type JobCreditsRow = Selectable<JobCreditsTable>;
