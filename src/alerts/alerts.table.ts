/**
 * Table type of a wallet's balance watch (`balance-watch.ts`): the low-balance alert threshold
 * and its armed state, and the auto-reload settings and state (`reload/`), in one row per wallet
 * so the balance-changing paths read one row to learn whether anything watches the balance.
 */
import type { Selectable } from 'kysely';

export type BalanceWatchTable = {
  account_id: string;
  /** Below this available balance a `balance.low` event is recorded; null: no alert. */
  low_balance_threshold_micro_usd: bigint | null;
  /** 1 while the balance is at or above the threshold (the next drop below alerts), else 0. */
  low_balance_armed: bigint;
  /** 1 when auto-reload is on. */
  auto_reload_enabled: bigint;
  /** Below this available balance a reload starts; null until set. */
  auto_reload_threshold_micro_usd: bigint | null;
  /** What one reload charges and credits; null until set. */
  auto_reload_amount_micro_usd: bigint | null;
  /** Most reloaded per UTC day; null: `AUTO_RELOAD_DAILY_CAP_AMOUNTS_DEFAULT` × the amount. */
  auto_reload_daily_cap_micro_usd: bigint | null;
  /** Failed reloads since the last success (or since the customer enabled it). */
  auto_reload_failures: bigint;
  /** Why auto-reload was turned off by the system (the last decline code); null otherwise. */
  auto_reload_disabled_reason: string | null;
  /** The reload in flight (`auto_reloads.id`), or null. */
  auto_reload_pending_id: string | null;
  updated_at_ms: bigint;
};

export type AlertsTables = { balance_watches: BalanceWatchTable };
export type BalanceWatchRow = Selectable<BalanceWatchTable>;
