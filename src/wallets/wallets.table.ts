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

/**
 * The record of a money movement an operator or a payment made outside a job: its memo, reason
 * and operator (the ledger transfers carry the amounts; their reference is this id, or the job's
 * for a refund).
 */
export type WalletAdjustmentTable = {
  id: string;
  account_id: string;
  /** `credit`, `debit`, `refund` or `revoke`. */
  type: string;
  amount_micro_usd: bigint;
  memo: string | null;
  /** Why: `operator`, or a payment's reversal (`payment_refund`, `payment_dispute`). */
  reason: string;
  /** What it is about: a job id (refund), a grant id (revoke), a top-up id (payment reversal). */
  reference: string | null;
  /** Who made it (operator adjustments); null for automatic ones. */
  operator: string | null;
  /** The grant it opened (credit, refund) or revoked. */
  grant_id: string | null;
  created_at_ms: bigint;
};

export type WalletsTables = { grants: GrantTable; wallet_adjustments: WalletAdjustmentTable };
export type GrantRow = Selectable<GrantTable>;
export type WalletAdjustmentRow = Selectable<WalletAdjustmentTable>;
