/**
 * `GET /v3/users/me` for an OAuth bearer token: the account's web plan in HeyGen's shape
 * (API.md §2), `billing_type: "subscription"` with only `subscription` filled. `plan` is the
 * plan's HeyGen name; `remaining` is whole credits (HeyGen's integer; a part of a credit still
 * held by the account shows in Tollgate's exact `remaining_credit_milli` beside it). Premium
 * credits reset at `resets_at` (ISO 8601, UTC); add-on credits never do (`resets_at: null`). An
 * account without a plan shows `free` with no premium credits and no reset.
 */
import { Type } from 'typebox';
import type { Account } from '../../accounts/accounts.ts';
import { wholeCredits } from '../../plans/credits-format.ts';
import type { WebPlanCredits } from '../../plans/subscriptions.ts';
import { Nullable } from './envelope.ts';
import { isoOf } from './render.ts';

const CreditPool = Type.Object({
  remaining: Type.Integer({ description: 'Whole credits free to spend.' }),
  resets_at: Nullable(Type.String({ description: 'ISO 8601; null: never resets.' })),
  remaining_credit_milli: Type.Integer({ description: 'Exact, in thousandths of a credit.' }),
  held_credit_milli: Type.Integer({ description: 'Held by jobs in flight.' }),
});

export const Subscription = Type.Object({
  plan: Type.String({ description: 'HeyGen’s plan name (free, creator, pro, team, …).' }),
  plan_id: Nullable(Type.String({ description: 'The operator’s plan id; null without a plan.' })),
  credits: Type.Object({ premium_credits: CreditPool, add_on_credits: CreditPool }),
});

export function renderSubscription(credits: WebPlanCredits) {
  const subscription = credits.subscription;
  return {
    plan: credits.plan?.heygen_plan ?? 'free',
    plan_id: credits.plan?.id ?? null,
    credits: {
      premium_credits: {
        remaining: wholeCredits(credits.premium_free_credit_milli),
        resets_at: subscription === null ? null : isoOf(subscription.resets_at_ms),
        remaining_credit_milli: credits.premium_free_credit_milli,
        held_credit_milli: credits.premium_held_credit_milli,
      },
      add_on_credits: {
        remaining: wholeCredits(credits.add_on_free_credit_milli),
        resets_at: null,
        remaining_credit_milli: credits.add_on_free_credit_milli,
        held_credit_milli: credits.add_on_held_credit_milli,
      },
    },
  };
}

export function renderSubscriptionUser(account: Account, credits: WebPlanCredits) {
  return {
    username: account.username,
    email: account.email,
    first_name: account.first_name,
    last_name: account.last_name,
    billing_type: 'subscription',
    wallet: null,
    subscription: renderSubscription(credits),
    usage_based: null,
  };
}
