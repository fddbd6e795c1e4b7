/** Table types of per-API-key spending limits. */
import type { Selectable } from 'kysely';

export type ApiKeySpendingLimitTable = {
  api_key_id: string;
  account_id: string;
  /** `day` or `month` of the account's time zone (`CalendarWindow`). */
  limit_window: string;
  amount_micro_usd: bigint;
  updated_at_ms: bigint;
};

export type KeyLimitsTables = { api_key_spending_limits: ApiKeySpendingLimitTable };
export type ApiKeySpendingLimitRow = Selectable<ApiKeySpendingLimitTable>;
