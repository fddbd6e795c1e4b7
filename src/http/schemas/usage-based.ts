/**
 * Schemas and renderings of usage-based billing: the operator's billing settings of an account
 * (`/admin/v1/accounts/{id}/billing`), the `usage_based` object of `GET /v3/users/me` in HeyGen's
 * shape (numbers of dollars, plus Tollgate's exact `_micro_usd` fields), statements
 * (`/billing/v1/statements`) and per-key spending limits. Amounts in request bodies are decimal
 * USD strings exact to the micro-dollar, as every operator amount is.
 */
import { Type } from 'typebox';
import type { Account } from '../../accounts/accounts.ts';
import type { KeySpendingLimitStatus } from '../../key-limits/limits.ts';
import {
  AMOUNT_MICRO_USD_MAX,
  formatMicroUsd,
  microUsdToUsdNumber,
  parseUsdToMicroUsd,
} from '../../shared/money.ts';
import type { BillingSummary } from '../../usage-based/settings.ts';
import type { Statement, StatementSummary } from '../../usage-based/statements.ts';
import { httpError } from '../errors.ts';
import { dataOf, IsoInstant, MicroUsd, Nullable, pageOf, Usd } from './envelope.ts';
import { isoOf } from './render.ts';

/** Net amounts (charges minus refunds) may be negative. */
const SignedMicroUsd = Type.Integer({ description: 'Integer micro-USD; negative for a refund.' });

const UsdText = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'Decimal USD, e.g. "100.00".',
});

export const UpdateBillingBody = Type.Object(
  {
    billing_type: Type.Optional(Type.Enum(['wallet', 'usage_based'])),
    spending_cap_usd: Type.Optional(Nullable(UsdText)),
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SetSpendingLimitBody = Type.Object(
  { window: Type.Enum(['day', 'month']), amount_usd: UsdText },
  { additionalProperties: false },
);

export const StatementParams = Type.Object({
  period: Type.String({ minLength: 1, maxLength: 16, description: 'A month, YYYY-MM.' }),
});

export const AccountStatementParams = Type.Object({
  account_id: Type.String({ minLength: 1, maxLength: 128 }),
  period: StatementParams.properties.period,
});

export const StatementQuery = Type.Object({
  format: Type.Optional(Type.Enum(['json', 'csv'])),
});

export function statementListQuery(limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: 12 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  });
}

/** A decimal USD string as micro-USD, or a 400 naming `param`. */
export function parseUsdParam(text: string, param: string): bigint {
  const amount = parseUsdToMicroUsd(text);
  if (amount === null || amount < 0n || amount > AMOUNT_MICRO_USD_MAX) {
    throw httpError(
      'invalid_parameter',
      `${param} must be a decimal string of USD exact to the micro-dollar, from 0 to ` +
        '1,000,000,000, such as "100.00".',
      { param },
    );
  }
  return amount;
}

export function renderBillingSummary(summary: BillingSummary) {
  const cap = summary.spending_cap_micro_usd;
  return {
    account_id: summary.account_id,
    billing_type: summary.billing_type,
    time_zone: summary.time_zone,
    spending_cap_usd: cap === null ? null : formatMicroUsd(cap),
    spending_cap_micro_usd: cap,
    period: summary.period.key,
    period_start: isoOf(summary.period.start_ms),
    period_end: isoOf(summary.period.end_ms),
    spending_current_usd: formatMicroUsd(summary.spending_current_micro_usd),
    spending_current_micro_usd: summary.spending_current_micro_usd,
    held_usd: formatMicroUsd(summary.held_micro_usd),
    held_micro_usd: summary.held_micro_usd,
  };
}

export const BillingSettingsBody = dataOf(
  Type.Object({
    account_id: Type.String(),
    billing_type: Type.Enum(['wallet', 'usage_based']),
    time_zone: Type.String(),
    spending_cap_usd: Nullable(Usd),
    spending_cap_micro_usd: Nullable(MicroUsd),
    period: Type.String(),
    period_start: IsoInstant,
    period_end: IsoInstant,
    spending_current_usd: Usd,
    spending_current_micro_usd: SignedMicroUsd,
    held_usd: Usd,
    held_micro_usd: MicroUsd,
  }),
);

/** `GET /v3/users/me` of an API key on a usage-based account (HeyGen's `usage_based`). */
export function renderUsageBasedUser(account: Account, summary: BillingSummary) {
  const cap = summary.spending_cap_micro_usd;
  return {
    username: account.username,
    email: account.email,
    first_name: account.first_name,
    last_name: account.last_name,
    billing_type: 'usage_based',
    wallet: null,
    subscription: null,
    usage_based: {
      spending_current_usd: microUsdToUsdNumber(summary.spending_current_micro_usd),
      spending_cap_usd: cap === null ? null : microUsdToUsdNumber(cap),
      spending_current_micro_usd: summary.spending_current_micro_usd,
      spending_cap_micro_usd: cap,
      held_usd: microUsdToUsdNumber(summary.held_micro_usd),
      held_micro_usd: summary.held_micro_usd,
      period: summary.period.key,
      period_start: isoOf(summary.period.start_ms),
      period_end: isoOf(summary.period.end_ms),
      time_zone: summary.time_zone,
    },
  };
}

function renderStatementSummary(statement: StatementSummary) {
  return {
    account_id: statement.account_id,
    period: statement.period,
    time_zone: statement.time_zone,
    status: statement.status,
    start: isoOf(statement.start_ms),
    start_ms: statement.start_ms,
    end: isoOf(statement.end_ms),
    end_ms: statement.end_ms,
    charge_count: statement.charge_count,
    refund_count: statement.refund_count,
    charged_usd: formatMicroUsd(statement.charged_micro_usd),
    charged_micro_usd: statement.charged_micro_usd,
    refunded_usd: formatMicroUsd(statement.refunded_micro_usd),
    refunded_micro_usd: statement.refunded_micro_usd,
    total_usd: formatMicroUsd(statement.total_micro_usd),
    total_micro_usd: statement.total_micro_usd,
  };
}

export function renderStatement(statement: Statement) {
  return {
    ...renderStatementSummary(statement),
    charges: statement.charges.map((charge) => ({
      type: charge.type,
      job_id: charge.job_id,
      kind: charge.kind,
      product: charge.product,
      sku: charge.sku,
      api_key_id: charge.api_key_id,
      duration_ms: charge.duration_ms,
      charged_at: isoOf(charge.charged_at_ms),
      charged_at_ms: charge.charged_at_ms,
      amount_usd: formatMicroUsd(charge.amount_micro_usd),
      amount_micro_usd: charge.amount_micro_usd,
      transfer_id: charge.transfer_id,
    })),
  };
}

export function renderStatementPage(page: { statements: StatementSummary[]; next: string | null }) {
  return {
    data: page.statements.map(renderStatementSummary),
    has_more: page.next !== null,
    next_token: page.next,
  };
}

const StatementSummaryFields = {
  account_id: Type.String(),
  period: Type.String({ description: 'A month of the account time zone, YYYY-MM.' }),
  time_zone: Type.String(),
  status: Type.Enum(['open', 'closed']),
  start: IsoInstant,
  start_ms: Type.Integer(),
  end: IsoInstant,
  end_ms: Type.Integer(),
  charge_count: Type.Integer({ minimum: 0 }),
  refund_count: Type.Integer({ minimum: 0 }),
  charged_usd: Usd,
  charged_micro_usd: MicroUsd,
  refunded_usd: Usd,
  refunded_micro_usd: MicroUsd,
  total_usd: Type.String({ description: 'Charges minus refunds, decimal USD; may be negative.' }),
  total_micro_usd: SignedMicroUsd,
};

export const StatementPage = pageOf(Type.Object(StatementSummaryFields));
export const StatementBody = dataOf(
  Type.Object({
    ...StatementSummaryFields,
    charges: Type.Array(
      Type.Object({
        type: Type.Enum(['charge', 'refund'], {
          description: 'A charge, or a refund made this month (a negative amount).',
        }),
        job_id: Type.String(),
        kind: Nullable(Type.String()),
        product: Nullable(Type.String()),
        sku: Nullable(Type.String()),
        api_key_id: Nullable(Type.String()),
        duration_ms: Nullable(Type.Integer()),
        charged_at: IsoInstant,
        charged_at_ms: Type.Integer(),
        amount_usd: Type.String({ description: 'Decimal USD; negative for a refund.' }),
        amount_micro_usd: SignedMicroUsd,
        transfer_id: Type.String(),
      }),
    ),
  }),
);

export function renderSpendingLimit(limit: KeySpendingLimitStatus | undefined) {
  if (limit === undefined) return null;
  return {
    window: limit.window,
    amount_usd: formatMicroUsd(limit.amount_micro_usd),
    amount_micro_usd: limit.amount_micro_usd,
    period: limit.period.key,
    period_start: isoOf(limit.period.start_ms),
    period_end: isoOf(limit.period.end_ms),
    spent_usd: formatMicroUsd(limit.charged_micro_usd),
    spent_micro_usd: limit.charged_micro_usd,
    held_usd: formatMicroUsd(limit.held_micro_usd),
    held_micro_usd: limit.held_micro_usd,
  };
}

export const SpendingLimit = Nullable(
  Type.Object({
    window: Type.Enum(['day', 'month']),
    amount_usd: Usd,
    amount_micro_usd: MicroUsd,
    period: Type.String({ description: 'The current window: YYYY-MM-DD or YYYY-MM.' }),
    period_start: IsoInstant,
    period_end: IsoInstant,
    spent_usd: Usd,
    spent_micro_usd: MicroUsd,
    held_usd: Usd,
    held_micro_usd: MicroUsd,
  }),
);

export const SpendingLimitBody = dataOf(
  Type.Object({ api_key_id: Type.String(), spending_limit: SpendingLimit }),
);
