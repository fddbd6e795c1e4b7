/**
 * Operator API schemas and renderings of web plans: the plan catalog, an account's subscription
 * and credits, add-on credit packs and the credit rate card. Credits travel as decimal strings
 * exact to the thousandth of a credit (`"600"`, `"1.5"`) and are shown again as exact integers of
 * `_credit_milli` beside a decimal `_credits` string.
 */
import { Type } from 'typebox';
import { HEYGEN_PLANS, type Plan } from '../../plans/catalog.ts';
import { CREDIT_CARD_ROWS_MAX } from '../../plans/credit-card.ts';
import type { CreditCardVersion } from '../../plans/credit-card-store.ts';
import { formatCredits } from '../../plans/credits-format.ts';
import type { CreditPackRow } from '../../plans/plans.table.ts';
import type { WebPlanCredits } from '../../plans/subscriptions.ts';
import { parseDecimalExact } from '../../shared/money.ts';
import { httpError } from '../errors.ts';
import { dataOf, IsoInstant, Nullable } from './envelope.ts';
import { isoOf, nullableWithDefault } from './render.ts';

const Credits = Type.String({ minLength: 1, maxLength: 40 });
const CreditMilli = Type.Integer({ minimum: 0, description: 'Thousandths of a credit.' });
const Memo = Type.String({ minLength: 1, maxLength: 500 });

export const PlanIdParams = Type.Object({ plan_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const SavePlanBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    heygen_plan: Type.Enum([...HEYGEN_PLANS]),
    /** Premium credits granted each cycle, a decimal string. */
    premium_credits: Credits,
    cycle_months: Type.Integer({ minimum: 1, maximum: 12, default: 1 }),
    oauth_concurrency_limit: Type.Integer({ minimum: 1, maximum: 1_000 }),
  },
  { additionalProperties: false },
);

export const SubscribeBody = Type.Object(
  { plan: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const CreditPackBody = Type.Object(
  { credits: Credits, memo: Type.Optional(nullableWithDefault(Memo)) },
  { additionalProperties: false },
);

export const CreateCreditCardBody = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 64 }),
    /** ISO 8601; omitted or null means now. */
    effective_at: Type.Optional(
      nullableWithDefault(Type.String({ format: 'date-time', maxLength: 64 })),
    ),
    rows: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 100 }),
          per: Type.Enum(['minute', 'video', 'call']),
          credits: Credits,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: CREDIT_CARD_ROWS_MAX },
    ),
  },
  { additionalProperties: false },
);

/** A decimal credits string as thousandths of a credit, or a 400 naming `param`. */
export function parseCredits(text: string, param: string): bigint {
  const credit_milli = parseDecimalExact(text, 3);
  if (credit_milli === null) {
    throw httpError(
      'invalid_parameter',
      `${param} must be a decimal string of credits exact to 0.001, such as "600" or "1.5".`,
      { param },
    );
  }
  return credit_milli;
}

const creditsPair = (prefix: string, credit_milli: bigint) => ({
  [`${prefix}_credit_milli`]: credit_milli,
  [`${prefix}_credits`]: formatCredits(credit_milli),
});

export function renderPlan(plan: Plan) {
  return {
    id: plan.id,
    name: plan.name,
    heygen_plan: plan.heygen_plan,
    ...creditsPair('premium', plan.premium_credit_milli),
    cycle_months: plan.cycle_months,
    oauth_concurrency_limit: plan.oauth_concurrency_limit,
    built_in: plan.built_in,
  };
}

export function renderWebPlan(account_id: string, credits: WebPlanCredits) {
  const subscription = credits.subscription;
  return {
    account_id,
    plan: credits.plan === null ? null : renderPlan(credits.plan),
    cycle_number: subscription === null ? null : Number(subscription.cycle_number),
    cycle_started_at: subscription === null ? null : isoOf(subscription.cycle_started_at_ms),
    resets_at: subscription === null ? null : isoOf(subscription.resets_at_ms),
    ...creditsPair('premium_free', credits.premium_free_credit_milli),
    ...creditsPair('premium_held', credits.premium_held_credit_milli),
    ...creditsPair('add_on_free', credits.add_on_free_credit_milli),
    ...creditsPair('add_on_held', credits.add_on_held_credit_milli),
  };
}

export function renderCreditPack(pack: CreditPackRow) {
  return {
    id: pack.id,
    account_id: pack.account_id,
    ...creditsPair('amount', pack.amount_credit_milli),
    memo: pack.memo,
    transfer_id: pack.transfer_id,
    created_at: isoOf(pack.created_at_ms),
  };
}

export function renderCreditCard(version: CreditCardVersion) {
  return {
    version: version.card.version,
    effective_at: isoOf(version.card.effective_at_ms),
    status: version.status,
    built_in: version.built_in,
    rows: version.card.rows.map((row) => ({
      sku: row.sku,
      per: row.per,
      credits: row.credits,
      rate_credit_milli: row.rate_credit_milli,
    })),
  };
}

const PlanSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  heygen_plan: Type.String(),
  premium_credit_milli: CreditMilli,
  premium_credits: Type.String(),
  cycle_months: Type.Integer(),
  oauth_concurrency_limit: Type.Integer(),
  built_in: Type.Boolean(),
});
const pair = (prefix: string) => ({
  [`${prefix}_credit_milli`]: CreditMilli,
  [`${prefix}_credits`]: Type.String(),
});
const WebPlanSchema = Type.Object({
  account_id: Type.String(),
  plan: Nullable(PlanSchema),
  cycle_number: Nullable(Type.Integer()),
  cycle_started_at: Nullable(IsoInstant),
  resets_at: Nullable(IsoInstant),
  ...pair('premium_free'),
  ...pair('premium_held'),
  ...pair('add_on_free'),
  ...pair('add_on_held'),
});
const CreditPackSchema = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  ...pair('amount'),
  memo: Nullable(Type.String()),
  transfer_id: Type.String(),
  created_at: IsoInstant,
});
const CreditCardSchema = Type.Object({
  version: Type.String(),
  effective_at: IsoInstant,
  status: Type.Enum(['scheduled', 'active', 'superseded']),
  built_in: Type.Boolean(),
  rows: Type.Array(
    Type.Object({
      sku: Type.String(),
      per: Type.String(),
      credits: Type.String(),
      rate_credit_milli: Type.Integer(),
    }),
  ),
});

export const PlanList = dataOf(Type.Array(PlanSchema));
export const PlanBody = dataOf(PlanSchema);
export const WebPlanBody = dataOf(WebPlanSchema);
export const CreditPackCreated = dataOf(
  Type.Object({ ...CreditPackSchema.properties, web_plan: WebPlanSchema }),
);
export const CreditPackList = dataOf(Type.Array(CreditPackSchema));
export const CreditCardBody = dataOf(CreditCardSchema);
export const CreditCardList = dataOf(Type.Array(CreditCardSchema));
