/**
 * Renderings of wallet balances, grants and ledger history for Tollgate's own APIs (`/admin/v1`,
 * `/billing/v1`). Every amount is an exact integer `_micro_usd` plus a decimal string `_usd`
 * (never a float); HeyGen-compatible `/v3` fields use numbers instead, as HeyGen does.
 */
import { Type } from 'typebox';
import { formatMicroUsd } from '../../shared/money.ts';
import type { WalletBalance } from '../../wallets/balance.ts';
import type { WalletEntry } from '../../wallets/history.ts';
import type { GrantRow } from '../../wallets/wallets.table.ts';
import { isoOf, nullableWithDefault } from './render.ts';

export const CreateGrantBody = Type.Object(
  {
    amount_usd: Type.String({ minLength: 1, maxLength: 40 }),
    kind: Type.Union([Type.Literal('paid'), Type.Literal('promotional')]),
    memo: nullableWithDefault(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

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
    transfer_id: grant.transfer_id,
    created_at_ms: grant.created_at_ms,
    created_at: isoOf(grant.created_at_ms),
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
