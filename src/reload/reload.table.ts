/** Table type of auto-reload attempts (`trigger.ts` opens one, `perform.ts` closes it). */
import type { Selectable } from 'kysely';

export const AUTO_RELOAD_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type AutoReloadStatus = (typeof AUTO_RELOAD_STATUSES)[number];

export type AutoReloadTable = {
  id: string;
  account_id: string;
  /** `pending` (at most one per wallet), then `succeeded` or `failed`, once. */
  status: string;
  amount_micro_usd: bigint;
  /** Start of the (UTC) day the reload counts against for the daily cap. */
  day_start_ms: bigint;
  payment_intent_id: string | null;
  /** The paid grant that credited it (succeeded only). */
  grant_id: string | null;
  /** Stripe's decline code (or `requires_action`, `no_payment_method`) when it failed. */
  failure_code: string | null;
  failure_message: string | null;
  created_at_ms: bigint;
  completed_at_ms: bigint | null;
};

export type ReloadTables = { auto_reloads: AutoReloadTable };
export type AutoReloadRow = Selectable<AutoReloadTable>;
