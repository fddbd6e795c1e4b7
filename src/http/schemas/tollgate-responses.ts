/**
 * The documented success bodies of Tollgate's own APIs, `/billing/v1` and `/admin/v1` (OpenAPI
 * only; see `envelope.ts`). Each mirrors its renderer (`renderBalance`, `renderAccount`, …):
 * every amount is an exact integer `_micro_usd` beside a decimal string `_usd`, every instant an
 * integer `_ms` beside an ISO 8601 string.
 */
import { Type } from 'typebox';
import { TOP_UP_STATUSES } from '../../payments/top-up-state.ts';
import { dataOf, IsoInstant, MicroUsd, Nullable, pageOf, Usd } from './envelope.ts';
import { SpendingLimit } from './usage-based.ts';

const InstantMs = Type.Integer({ description: 'Unix epoch milliseconds' });

export const RateRow = Type.Object({
  sku: Type.String(),
  unit: Type.String(),
  rate_usd: Nullable(Usd),
  rate_micro_usd: Nullable(Type.Integer({ description: 'null: no published rate.' })),
  increment_ms: Nullable(Type.Integer()),
  minimum_ms: Nullable(Type.Integer()),
  enterprise_only: Type.Boolean(),
  existing_customers_only: Type.Boolean(),
});

const RateCardFields = {
  version: Type.String(),
  effective_at: IsoInstant,
  effective_at_ms: InstantMs,
  currency: Type.Literal('usd'),
  rows: Type.Array(RateRow),
};

export const RateCardInEffect = dataOf(
  Type.Object({ ...RateCardFields, rate_override_id: Nullable(Type.String()) }),
);

const RateCardVersion = Type.Object({
  ...RateCardFields,
  status: Type.Enum(['scheduled', 'active', 'superseded']),
  active: Type.Boolean(),
  built_in: Type.Boolean(),
});

export const RateCardVersionBody = dataOf(RateCardVersion);
export const RateCardVersionPage = pageOf(RateCardVersion);

const RateOverride = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  version: Type.Integer(),
  active: Type.Boolean(),
  memo: Nullable(Type.String()),
  created_at: IsoInstant,
  created_at_ms: InstantMs,
  ended_at_ms: Nullable(InstantMs),
  rows: Type.Array(RateRow),
});

export const RateOverrideBody = dataOf(RateOverride);
export const RateOverridePage = pageOf(RateOverride);
export const RateOverrideRemoved = dataOf(
  Type.Object({ account_id: Type.String(), removed: Nullable(RateOverride) }),
);

export const Quote = dataOf(
  Type.Object({
    product: Type.String(),
    rate_card_version: Type.String(),
    sku: Type.String(),
    unit: Type.String(),
    rate_usd: Usd,
    rate_micro_usd: Type.Integer(),
    estimate_rule: Type.String(),
    estimated_duration_ms: Nullable(Type.Integer()),
    estimated_amount_micro_usd: MicroUsd,
    estimated_amount_usd: Usd,
    hold_amount_micro_usd: MicroUsd,
    hold_amount_usd: Usd,
    test: Type.Boolean(),
  }),
);

export const WalletEntryPage = pageOf(
  Type.Object({
    id: Type.String({ description: 'The ledger transfer id.' }),
    kind: Type.Enum(['grant', 'hold', 'settlement', 'release', 'refund', 'write_off', 'other']),
    wallet_part: Type.String(),
    direction: Type.Enum(['credit', 'debit']),
    amount_micro_usd: MicroUsd,
    amount_usd: Usd,
    released_micro_usd: Nullable(MicroUsd),
    released_usd: Nullable(Usd),
    hold_status: Nullable(Type.String()),
    reference: Nullable(Type.String({ description: 'The job id, or the grant id.' })),
    product: Nullable(Type.String()),
    created_at_ms: InstantMs,
    created_at: IsoInstant,
  }),
);

export const WalletBalance = Type.Object({
  currency: Type.Literal('usd'),
  available_micro_usd: Type.Integer(),
  available_usd: Usd,
  posted_balance_micro_usd: Type.Integer(),
  posted_balance_usd: Usd,
  held_micro_usd: MicroUsd,
  held_usd: Usd,
  settled_micro_usd: MicroUsd,
  settled_usd: Usd,
  granted_micro_usd: MicroUsd,
  granted_usd: Usd,
  promotional_available_micro_usd: Type.Integer(),
  paid_available_micro_usd: Type.Integer(),
});

const AccountFields = {
  id: Type.String(),
  username: Type.String(),
  email: Nullable(Type.String()),
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  existing_avatar_iii_customer: Type.Boolean(),
  enterprise: Type.Boolean(),
  concurrency_limit: Type.Integer(),
  overdraft_limit_micro_usd: MicroUsd,
  overdraft_limit_usd: Usd,
  created_at_ms: InstantMs,
  created_at: IsoInstant,
};

export const AccountBody = dataOf(Type.Object(AccountFields));
export const AccountPage = pageOf(Type.Object(AccountFields));
export const AccountWithWallet = dataOf(Type.Object({ ...AccountFields, wallet: WalletBalance }));

const ApiKeyFields = {
  id: Type.String(),
  account_id: Type.String(),
  prefix: Type.String(),
  name: Nullable(Type.String()),
  created_at_ms: InstantMs,
  created_at: IsoInstant,
  last_used_at_ms: Nullable(InstantMs),
  revoked_at_ms: Nullable(InstantMs),
  revoked: Type.Boolean(),
};

export const ApiKeyBody = dataOf(Type.Object(ApiKeyFields));
export const ApiKeyList = dataOf(
  Type.Array(Type.Object({ ...ApiKeyFields, spending_limit: Type.Optional(SpendingLimit) })),
);
export const ApiKeyCreated = Type.Object({
  data: Type.Object({
    ...ApiKeyFields,
    key: Type.Optional(
      Type.String({ description: 'The secret, in the first response only; never stored.' }),
    ),
    secret_shown_once: Type.Optional(
      Type.Literal(true, { description: 'On an idempotent replay, which carries no `key`.' }),
    ),
  }),
  message: Type.Optional(Type.String({ description: 'On a replay: the secret is not repeated.' })),
});

export const GrantCreated = dataOf(
  Type.Object({
    id: Type.String(),
    account_id: Type.String(),
    kind: Type.Enum(['paid', 'promotional']),
    amount_micro_usd: MicroUsd,
    amount_usd: Usd,
    memo: Nullable(Type.String()),
    transfer_id: Type.String(),
    created_at_ms: InstantMs,
    created_at: IsoInstant,
    wallet: WalletBalance,
  }),
);

export const WriteOffPage = pageOf(
  Type.Object({
    id: Type.String({ description: 'The ledger transfer id.' }),
    account_id: Type.String(),
    job_id: Nullable(Type.String({ description: 'The job whose price was not collected.' })),
    amount_micro_usd: MicroUsd,
    amount_usd: Usd,
    created_at_ms: InstantMs,
    created_at: IsoInstant,
  }),
);

const Grant = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  kind: Type.Enum(['paid', 'promotional']),
  amount_micro_usd: MicroUsd,
  amount_usd: Usd,
  memo: Nullable(Type.String()),
  source: Type.String({ description: 'payment, operator, auto_reload or promotion' }),
  priority: Type.Integer({ description: 'Higher draws first (after promotional before paid).' }),
  expires_at_ms: Nullable(InstantMs),
  expires_at: Nullable(IsoInstant),
  transfer_id: Type.String(),
  created_at_ms: InstantMs,
  created_at: IsoInstant,
});

const GrantWithFigures = Type.Object({
  ...Grant.properties,
  status: Type.String(),
  pooled: Type.Boolean(),
  remaining_micro_usd: Type.Integer(),
  remaining_usd: Usd,
  held_micro_usd: MicroUsd,
  held_usd: Usd,
  expired_micro_usd: MicroUsd,
  expired_usd: Usd,
  revoked_micro_usd: MicroUsd,
  revoked_usd: Usd,
});

export const GrantPage = pageOf(GrantWithFigures);

const Adjustment = {
  id: Type.String(),
  account_id: Type.String(),
  type: Type.String({ description: 'credit, debit, refund or revoke' }),
  amount_micro_usd: MicroUsd,
  amount_usd: Usd,
  memo: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  operator: Nullable(Type.String()),
  grant_id: Nullable(Type.String()),
  created_at_ms: InstantMs,
  created_at: IsoInstant,
};

export const AdjustmentApplied = dataOf(
  Type.Object({ ...Adjustment, grant: Nullable(Grant), wallet: WalletBalance }),
);

export const RefundApplied = dataOf(
  Type.Object({
    ...Adjustment,
    job_id: Type.String(),
    grants: Type.Array(Grant),
    wallet: WalletBalance,
  }),
);

export const GrantRevoked = dataOf(
  Type.Object({
    grant_id: Type.String(),
    revoked_micro_usd: MicroUsd,
    held_micro_usd: MicroUsd,
    adjustment: Nullable(Type.Object(Adjustment)),
    wallet: WalletBalance,
  }),
);

const TopUp = Type.Object({
  id: Type.String(),
  status: Type.Enum([...TOP_UP_STATUSES]),
  amount_usd: Usd,
  amount_micro_usd: MicroUsd,
  checkout_url: Nullable(Type.String({ description: 'While pending: where to pay.' })),
  refunded_usd: Usd,
  reversed_usd: Usd,
  reversed_micro_usd: MicroUsd,
  dispute_status: Nullable(Type.String()),
  created_at: IsoInstant,
  created_at_ms: InstantMs,
  credited_at: Nullable(IsoInstant),
  updated_at: IsoInstant,
});

export const TopUpBody = dataOf(TopUp);
export const TopUpPage = pageOf(TopUp);

const OptionalUsd = (name: string) => ({
  [`${name}_usd`]: Nullable(Usd),
  [`${name}_micro_usd`]: Nullable(MicroUsd),
});

export const AutoReloadBody = dataOf(
  Type.Object({
    enabled: Type.Boolean(),
    ...OptionalUsd('threshold'),
    ...OptionalUsd('amount'),
    ...OptionalUsd('daily_cap'),
    consecutive_failures: Type.Integer({ minimum: 0 }),
    disabled_reason: Nullable(Type.String()),
    pending_reload_id: Nullable(Type.String()),
  }),
);

export const AlertsBody = dataOf(
  Type.Object({ ...OptionalUsd('low_balance_threshold'), armed: Type.Boolean() }),
);

export const StripeEventReceived = dataOf(
  Type.Object({ received: Type.Literal(true) }, { additionalProperties: true }),
);
