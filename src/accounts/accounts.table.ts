/** Table types of customer accounts, API keys and operator settings. */
import type { ColumnType, Selectable } from 'kysely';

export type AccountTable = {
  id: string;
  username: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  /** 1 when the account may use Avatar III (existing customers only), else 0. */
  existing_avatar_iii_customer: bigint;
  /** 1 for Enterprise accounts (video translation proofread), else 0. */
  enterprise: bigint;
  /** Jobs in flight allowed at once; null uses the configured default. */
  concurrency_limit: bigint | null;
  /** How far below zero an overrun may take the wallet's posted balance; the rest is written off. */
  overdraft_limit_micro_usd: bigint;
  /** How the account's API keys pay (`AccountBillingType`: `wallet` or `usage_based`). */
  billing_type: ColumnType<string, string | undefined, string>;
  created_at_ms: bigint;
};

export type ApiKeyTable = {
  id: string;
  account_id: string;
  /** The visible start of the key, shown in listings (e.g. `tg_3fK9a2Lm`). */
  prefix: string;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  key_hash: string;
  name: string | null;
  created_at_ms: bigint;
  last_used_at_ms: bigint | null;
  revoked_at_ms: bigint | null;
};

export type SettingTable = { key: string; value: string };

export type AccountsTables = {
  accounts: AccountTable;
  api_keys: ApiKeyTable;
  settings: SettingTable;
};

export type AccountRow = Selectable<AccountTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
