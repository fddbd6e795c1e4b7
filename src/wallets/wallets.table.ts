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
  /** `payment`, `operator`, `auto_reload` or `promotion` (`grant-terms.ts`). */
  source: string;
  /** Higher is drawn first (after promotional before paid). */
  priority: bigint;
  /** When the free part expires; null never. */
  expires_at_ms: bigint | null;
  /**
   * The ledger account holding the grant's money: its own (`wallet:<account>:grant:<id>`), or,
   * for grants made before grant terms, its wallet's pool of that kind.
   */
  ledger_account_id: string;
  /** Set once the grant is off the hot path: nothing left and nothing held, or folded in a pool. */
  closed_at_ms: bigint | null;
};

export type WalletsTables = { grants: GrantTable };
export type GrantRow = Selectable<GrantTable>;
