/**
 * The daily cap of auto-reload: what may be reloaded per day, counted per UTC day (accounts have
 * no time zone yet). Without a cap set, `AUTO_RELOAD_DAILY_CAP_AMOUNTS_DEFAULT` reloads' worth.
 */
import type { BalanceWatchRow } from '../alerts/alerts.table.ts';

/** Without a daily cap set, this many reloads' worth a day. */
export const AUTO_RELOAD_DAILY_CAP_AMOUNTS_DEFAULT = 5n;
const DAY_MS = 24n * 60n * 60n * 1000n;

/** The start of the day a reload at `now_ms` counts against. */
export function reloadDayStartMs(now_ms: bigint): bigint {
  return now_ms - (now_ms % DAY_MS);
}

/** The cap in force: the one set, else the default multiple of the amount. */
export function dailyCapOf(
  watch: Pick<BalanceWatchRow, 'auto_reload_daily_cap_micro_usd' | 'auto_reload_amount_micro_usd'>,
): bigint {
  if (watch.auto_reload_daily_cap_micro_usd !== null) return watch.auto_reload_daily_cap_micro_usd;
  return (watch.auto_reload_amount_micro_usd ?? 0n) * AUTO_RELOAD_DAILY_CAP_AMOUNTS_DEFAULT;
}
