/**
 * Schemas and renderings of a wallet's balance settings: auto-reload
 * (`/billing/v1/auto-reload`) and the low-balance alert (`/billing/v1/alerts`). Amounts are
 * accepted as a JSON number of dollars (as HeyGen's `users/me` shows them) or as an exact decimal
 * string, and rendered as Tollgate's own APIs render money: a decimal string `_usd` and the exact
 * integer `_micro_usd` (`users/me` keeps HeyGen's numbers).
 */
import { Type } from 'typebox';
import type { LowBalanceAlert } from '../../alerts/low-balance.ts';
import type { AutoReloadSettings } from '../../reload/settings.ts';
import { formatMicroUsd, microUsdToUsdNumber, parseUsdToMicroUsd } from '../../shared/money.ts';
import { httpError } from '../errors.ts';

/** The largest amount a setting takes: the ledger's largest amount, $1,000,000,000. */
const USD_SETTING_MAX = 1_000_000_000;
const UsdNumber = Type.Number({ minimum: 0, maximum: USD_SETTING_MAX });
const Usd = Type.Union([UsdNumber, Type.String({ minLength: 1, maxLength: 40 })]);
const NullableUsd = Type.Union([
  UsdNumber,
  Type.String({ minLength: 1, maxLength: 40 }),
  Type.Null(),
]);

export const UpdateAutoReloadBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    threshold_usd: Type.Optional(Usd),
    amount_usd: Type.Optional(Usd),
    daily_cap_usd: Type.Optional(NullableUsd),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UpdateAlertsBody = Type.Object(
  { low_balance_threshold_usd: NullableUsd },
  { additionalProperties: false },
);

/** A non-negative USD amount exact to the micro-dollar, or a 400 naming `param`. */
export function usdParam(value: number | string, param: string): bigint {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const micro = typeof text === 'string' ? parseUsdToMicroUsd(text) : null;
  if (micro === null || micro < 0n) {
    throw httpError(
      'invalid_parameter',
      `${param} must be an amount of USD of at least 0, exact to the micro-dollar, such as 10 or "10.50".`,
      { param },
    );
  }
  return micro;
}

export function nullableUsdParam(value: number | string | null, param: string): bigint | null {
  return value === null ? null : usdParam(value, param);
}

function usdFields(name: string, micro: bigint | null) {
  return {
    [`${name}_usd`]: micro === null ? null : formatMicroUsd(micro),
    [`${name}_micro_usd`]: micro,
  };
}

export function renderAutoReload(settings: AutoReloadSettings) {
  return {
    enabled: settings.enabled,
    ...usdFields('threshold', settings.threshold_micro_usd),
    ...usdFields('amount', settings.amount_micro_usd),
    ...usdFields('daily_cap', settings.daily_cap_micro_usd),
    consecutive_failures: settings.consecutive_failures,
    disabled_reason: settings.disabled_reason,
    pending_reload_id: settings.pending_reload_id,
  };
}

/** `users/me → wallet.auto_reload`, exactly HeyGen's shape. */
export function renderHeyGenAutoReload(settings: AutoReloadSettings) {
  const usd = (micro: bigint | null) => (micro === null ? null : microUsdToUsdNumber(micro));
  return {
    enabled: settings.enabled,
    threshold_usd: usd(settings.threshold_micro_usd),
    amount_usd: usd(settings.amount_micro_usd),
  };
}

export function renderAlerts(alert: LowBalanceAlert) {
  return { ...usdFields('low_balance_threshold', alert.threshold_micro_usd), armed: alert.armed };
}
