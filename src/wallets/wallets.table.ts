/** Table types of wallet grants (the money itself is in the ledger; this is the record). */
import type { Selectable } from 'kysely';

export type GrantTable = {
  id: string;
  account_id: string;
  /** `paid` (a top-up, cash received) or `promotional` (free credit). */
  kind: string;
  amount_micro_usd: bigint;
  memo: string | null;
  /** The ledger transfer that credited the wallet. */
  transfer_id: string;
  created_at_ms: bigint;
};

export type WalletsTables = { grants: GrantTable };
export type GrantRow = Selectable<GrantTable>;
