/**
 * Renderings of wallet balances, grants and ledger history for Tollgate's own APIs (`/admin/v1`,
 * `/billing/v1`). Every amount is an exact integer `_micro_usd` plus a decimal string `_usd`
 * (never a float); HeyGen-compatible `/v3` fields use numbers instead, as HeyGen does.
 */
import { Type } from 'typebox';
import { formatMicroUsd, parseUsdToMicroUsd } from '../../shared/money.ts';
import type { WalletBalance } from '../../wallets/balance.ts';
import type { GrantWithFigures } from '../../wallets/grant-list.ts';
import { GRANT_PRIORITY_MAX, GRANT_PRIORITY_MIN } from '../../wallets/grant-terms.ts';
import type { WalletEntry } from '../../wallets/history.ts';
import type { GrantRow, WalletAdjustmentRow } from '../../wallets/wallets.table.ts';
import { httpError } from '../errors.ts';
import { ID } from './bounds.ts';
import { isoOf, nullableWithDefault } from './render.ts';

const AmountUsd = Type.String({ minLength: 1, maxLength: 40 });
const Memo = Type.String({ minLength: 1, maxLength: 500 });
/** Who made an operator adjustment; default `operator` (the holder of the operator token). */
const Operator = Type.String({ minLength: 1, maxLength: 128, default: 'operator' });
/**
 * A grant's optional terms. No schema defaults: a body without them hashes as it did before they
 * existed, so an `Idempotency-Key` in flight across an upgrade still matches (`idempotency/`).
 */
const GrantTermsFields = {
  /** Higher is drawn first within its kind; default 0. */
  priority: Type.Optional(
    Type.Integer({ minimum: GRANT_PRIORITY_MIN, maximum: GRANT_PRIORITY_MAX }),
  ),
  /** ISO 8601 instant at which the unspent part expires; absent or null never. */
  expires_at: Type.Optional(
    Type.Union([Type.String({ format: 'date-time', maxLength: 64 }), Type.Null()]),
  ),
  /** Default `operator`. */
  source: Type.Optional(Type.Union([Type.Literal('operator'), Type.Literal('promotion')])),
};

export const CreateGrantBody = Type.Object(
  {
    amount_usd: AmountUsd,
    kind: Type.Union([Type.Literal('paid'), Type.Literal('promotional')]),
    memo: nullableWithDefault(Memo),
    ...GrantTermsFields,
  },
  { additionalProperties: false },
);

export const CreateAdjustmentBody = Type.Object(
  {
    type: Type.Union([Type.Literal('credit'), Type.Literal('debit')]),
    amount_usd: AmountUsd,
    memo: Memo,
    operator: Operator,
    /** Credit only: the kind of the new grant (default promotional). */
    kind: Type.Union([Type.Literal('paid'), Type.Literal('promotional')], {
      default: 'promotional',
    }),
    ...GrantTermsFields,
  },
  { additionalProperties: false },
);

export const CreateRefundBody = Type.Object(
  {
    /** Default: all of the charge not refunded yet. */
    amount_usd: nullableWithDefault(AmountUsd),
    memo: Memo,
    operator: Operator,
  },
  { additionalProperties: false },
);

export const RevokeGrantBody = Type.Object(
  { memo: Memo, operator: Operator },
  { additionalProperties: false },
);

export const GrantIdParams = Type.Object({ grant_id: Type.String(ID) });
export const JobIdParams = Type.Object({ job_id: Type.String(ID) });

/** A decimal USD amount string as micro-USD, or a 400 naming `param`. */
export function parseAmountUsd(amount_usd: string, param = 'amount_usd'): bigint {
  const amount_micro_usd = parseUsdToMicroUsd(amount_usd);
  if (amount_micro_usd === null) {
    throw httpError(
      'invalid_parameter',
      `${param} must be a decimal string of USD exact to the micro-dollar, such as "100.00".`,
      { param },
    );
  }
  return amount_micro_usd;
}

/** `expires_at` (ISO 8601, validated by the schema) as milliseconds, or null. */
export function expiresAtMs(expires_at: string | null | undefined): bigint | null {
  return expires_at == null ? null : BigInt(Date.parse(expires_at));
}

export function renderBalance(balance: WalletBalance) {
  const { promotional, paid } = balance.available_by_kind_micro_usd;
  return {
    currency: 'usd',
    available_micro_usd: balance.available_micro_usd,
    available_usd: formatMicroUsd(balance.available_micro_usd),
    posted_balance_micro_usd: balance.posted_micro_usd,
    posted_balance_usd: formatMicroUsd(balance.posted_micro_usd),
    held_micro_usd: balance.held_micro_usd,
    held_usd: formatMicroUsd(balance.held_micro_usd),
    settled_micro_usd: balance.settled_micro_usd,
    settled_usd: formatMicroUsd(balance.settled_micro_usd),
    granted_micro_usd: balance.granted_micro_usd,
    granted_usd: formatMicroUsd(balance.granted_micro_usd),
    promotional_available_micro_usd: promotional,
    paid_available_micro_usd: paid,
  };
}

export function renderGrant(grant: GrantRow) {
  return {
    id: grant.id,
    account_id: grant.account_id,
    kind: grant.kind,
    amount_micro_usd: grant.amount_micro_usd,
    amount_usd: formatMicroUsd(grant.amount_micro_usd),
    memo: grant.memo,
    source: grant.source,
    priority: Number(grant.priority),
    expires_at_ms: grant.expires_at_ms,
    expires_at: grant.expires_at_ms === null ? null : isoOf(grant.expires_at_ms),
    transfer_id: grant.transfer_id,
    created_at_ms: grant.created_at_ms,
    created_at: isoOf(grant.created_at_ms),
  };
}

export function renderGrantWithFigures(grant: GrantWithFigures) {
  return {
    ...renderGrant(grant),
    status: grant.status,
    pooled: grant.pooled,
    remaining_micro_usd: grant.remaining_micro_usd,
    remaining_usd: formatMicroUsd(grant.remaining_micro_usd),
    held_micro_usd: grant.held_micro_usd,
    held_usd: formatMicroUsd(grant.held_micro_usd),
    expired_micro_usd: grant.expired_micro_usd,
    expired_usd: formatMicroUsd(grant.expired_micro_usd),
    revoked_micro_usd: grant.revoked_micro_usd,
    revoked_usd: formatMicroUsd(grant.revoked_micro_usd),
  };
}

export function renderAdjustment(adjustment: WalletAdjustmentRow) {
  return {
    id: adjustment.id,
    account_id: adjustment.account_id,
    type: adjustment.type,
    amount_micro_usd: adjustment.amount_micro_usd,
    amount_usd: formatMicroUsd(adjustment.amount_micro_usd),
    memo: adjustment.memo,
    reason: adjustment.reason,
    reference: adjustment.reference,
    operator: adjustment.operator,
    grant_id: adjustment.grant_id,
    created_at_ms: adjustment.created_at_ms,
    created_at: isoOf(adjustment.created_at_ms),
  };
}

export function renderWalletEntry(entry: WalletEntry) {
  return {
    ...entry,
    amount_usd: formatMicroUsd(entry.amount_micro_usd),
    released_usd:
      entry.released_micro_usd === null ? null : formatMicroUsd(entry.released_micro_usd),
    created_at: isoOf(entry.created_at_ms),
  };
}
