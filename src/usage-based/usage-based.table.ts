/** Table types of usage-based (postpaid) accounts: the spending cap of an account. */
import type { Selectable } from 'kysely';

export type UsageBasedCapTable = {
  account_id: string;
  /** Null: no cap (usage accrues without limit). */
  spending_cap_micro_usd: bigint | null;
  /** The last period (`YYYY-MM`) whose `spending_cap.reached` event was recorded. */
  cap_reached_period: string | null;
  updated_at_ms: bigint;
};

export type UsageBasedTables = { usage_based_caps: UsageBasedCapTable };
export type UsageBasedCapRow = Selectable<UsageBasedCapTable>;
