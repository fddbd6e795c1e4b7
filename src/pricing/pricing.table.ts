/** Table types of operator rate cards and per-account rate overrides (immutable versions). */
import type { Selectable } from 'kysely';

export type RateCardTable = {
  version: string;
  effective_at_ms: bigint;
  /** The card's rows as submitted: rates as decimal strings, durations as integers. */
  rows_json: string;
  created_at_ms: bigint;
};

export type RateOverrideTable = {
  id: string;
  account_id: string;
  /** 1, 2, 3, … per account: the order in which the account's overrides were set. */
  version: bigint;
  /** The overriding rows: `{sku, rate_usd, increment_ms?, minimum_ms?}`. */
  rows_json: string;
  memo: string | null;
  created_at_ms: bigint;
  /** When a later override replaced this one or it was removed; null while it is in force. */
  ended_at_ms: bigint | null;
};

export type PricingTables = { rate_cards: RateCardTable; rate_overrides: RateOverrideTable };
export type RateCardRecord = Selectable<RateCardTable>;
export type RateOverrideRecord = Selectable<RateOverrideTable>;
