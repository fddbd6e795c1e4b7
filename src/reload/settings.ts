/**
 * A wallet's auto-reload settings (`enabled`, `threshold`, `amount`, `daily_cap`), stored on its
 * balance watch row (`alerts/alerts.table.ts`), and their rules: the amount is at least $5.00 in
 * whole cents, the threshold at least 0, the daily cap at least the amount (by default
 * `AUTO_RELOAD_DAILY_CAP_AMOUNTS_DEFAULT` amounts a day), and enabling needs both the threshold
 * and the amount and a payment method saved at a previous Checkout top-up. Enabling resets the
 * failure count and the reason it was turned off; the balance is checked at once, so a wallet
 * already below the new threshold starts a reload in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { BalanceWatchRow } from '../alerts/alerts.table.ts';
import { watchBalance } from '../alerts/balance-watch.ts';
import { findBalanceWatch, upsertBalanceWatch } from '../alerts/watch-row.ts';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';
import { AMOUNT_MICRO_USD_MAX, formatUsdForHumans } from '../shared/money.ts';
import { dailyCapOf } from './daily-cap.ts';
import type { ReloadErrorCode } from './errors.ts';
import { paymentMethodForReload } from './payment-method.ts';

/** The smallest reload (the smallest Checkout top-up, HeyGen's $5 minimum). */
export const AUTO_RELOAD_AMOUNT_MIN_MICRO_USD = 5_000_000n;
const MICRO_USD_PER_CENT = 10_000n;

export type AutoReloadSettings = {
  enabled: boolean;
  threshold_micro_usd: bigint | null;
  amount_micro_usd: bigint | null;
  /** The cap in force (the default one when none was set); null while no amount is set. */
  daily_cap_micro_usd: bigint | null;
  consecutive_failures: number;
  /** Why the system turned auto-reload off (a decline code), or null. */
  disabled_reason: string | null;
  /** The reload in flight, or null. */
  pending_reload_id: string | null;
};

/** A partial update: absent fields keep their value; `daily_cap_micro_usd: null` is the default. */
export type AutoReloadPatch = {
  enabled?: boolean;
  threshold_micro_usd?: bigint;
  amount_micro_usd?: bigint;
  daily_cap_micro_usd?: bigint | null;
};

export function toAutoReloadSettings(watch: BalanceWatchRow | null): AutoReloadSettings {
  if (watch === null) {
    return {
      enabled: false,
      threshold_micro_usd: null,
      amount_micro_usd: null,
      daily_cap_micro_usd: null,
      consecutive_failures: 0,
      disabled_reason: null,
      pending_reload_id: null,
    };
  }
  return {
    enabled: watch.auto_reload_enabled === 1n,
    threshold_micro_usd: watch.auto_reload_threshold_micro_usd,
    amount_micro_usd: watch.auto_reload_amount_micro_usd,
    daily_cap_micro_usd: watch.auto_reload_amount_micro_usd === null ? null : dailyCapOf(watch),
    consecutive_failures: Number(watch.auto_reload_failures),
    disabled_reason: watch.auto_reload_disabled_reason,
    pending_reload_id: watch.auto_reload_pending_id,
  };
}

export async function getAutoReloadSettings(
  db: Kysely<DB>,
  account_id: string,
): Promise<AutoReloadSettings> {
  return toAutoReloadSettings(await findBalanceWatch(db, account_id));
}

/**
 * Applies `patch` to the wallet's settings and returns them; throws `auto_reload_setting_invalid`
 * or `payment_method_required` naming the param, writing nothing.
 */
export async function updateAutoReload(
  tx: TxContext,
  input: { account_id: string; patch: AutoReloadPatch },
): Promise<AutoReloadSettings> {
  const current = await findBalanceWatch(tx.db, input.account_id);
  const next = mergedSettings(current, input.patch);
  checkSettings(next);
  if (next.enabled && (await paymentMethodForReload(tx.db, input.account_id)) === null) {
    throw reloadError(
      'payment_method_required',
      'Auto-reload charges the card saved at a top-up: buy a top-up through Checkout first.',
      'enabled',
    );
  }
  const enabling = next.enabled && current?.auto_reload_enabled !== 1n;
  const set = {
    auto_reload_enabled: next.enabled ? 1n : 0n,
    auto_reload_threshold_micro_usd: next.threshold_micro_usd,
    auto_reload_amount_micro_usd: next.amount_micro_usd,
    auto_reload_daily_cap_micro_usd: next.daily_cap_micro_usd,
    ...(enabling ? { auto_reload_failures: 0n, auto_reload_disabled_reason: null } : {}),
  };
  await upsertBalanceWatch(tx, { account_id: input.account_id, set });
  if (next.enabled) await watchBalance(tx, { account_id: input.account_id, spent_micro_usd: 0n });
  return toAutoReloadSettings(await findBalanceWatch(tx.db, input.account_id));
}

type StoredSettings = {
  enabled: boolean;
  threshold_micro_usd: bigint | null;
  amount_micro_usd: bigint | null;
  daily_cap_micro_usd: bigint | null;
};

function mergedSettings(current: BalanceWatchRow | null, patch: AutoReloadPatch): StoredSettings {
  return {
    enabled: patch.enabled ?? current?.auto_reload_enabled === 1n,
    threshold_micro_usd:
      patch.threshold_micro_usd ?? current?.auto_reload_threshold_micro_usd ?? null,
    amount_micro_usd: patch.amount_micro_usd ?? current?.auto_reload_amount_micro_usd ?? null,
    daily_cap_micro_usd:
      patch.daily_cap_micro_usd !== undefined
        ? patch.daily_cap_micro_usd
        : (current?.auto_reload_daily_cap_micro_usd ?? null),
  };
}

function checkSettings(next: StoredSettings): void {
  const amount = next.amount_micro_usd;
  if (
    amount !== null &&
    (amount < AUTO_RELOAD_AMOUNT_MIN_MICRO_USD || amount > AMOUNT_MICRO_USD_MAX)
  ) {
    throw reloadError(
      'auto_reload_setting_invalid',
      `amount_usd must be at least ${formatUsdForHumans(AUTO_RELOAD_AMOUNT_MIN_MICRO_USD)}.`,
      'amount_usd',
    );
  }
  if (amount !== null && amount % MICRO_USD_PER_CENT !== 0n) {
    throw reloadError(
      'auto_reload_setting_invalid',
      'amount_usd must be a whole number of cents (a card is charged in cents).',
      'amount_usd',
    );
  }
  const threshold = next.threshold_micro_usd;
  if (threshold !== null && (threshold < 0n || threshold > AMOUNT_MICRO_USD_MAX)) {
    throw reloadError(
      'auto_reload_setting_invalid',
      'threshold_usd must be at least 0.',
      'threshold_usd',
    );
  }
  const cap = next.daily_cap_micro_usd;
  if (cap !== null && (cap > AMOUNT_MICRO_USD_MAX || (amount !== null && cap < amount))) {
    throw reloadError(
      'auto_reload_setting_invalid',
      'daily_cap_usd must be at least amount_usd (one reload a day).',
      'daily_cap_usd',
    );
  }
  if (!next.enabled) return;
  if (threshold === null) {
    throw reloadError(
      'auto_reload_setting_invalid',
      'Enabling auto-reload needs threshold_usd.',
      'threshold_usd',
    );
  }
  if (amount === null) {
    throw reloadError(
      'auto_reload_setting_invalid',
      'Enabling auto-reload needs amount_usd.',
      'amount_usd',
    );
  }
}

function reloadError(code: ReloadErrorCode, message: string, param: string): DomainError {
  return new DomainError<ReloadErrorCode>(code, message, { param });
}
