/**
 * The one hook of the balance-changing paths: `watchBalance(tx, change)` runs in the transaction
 * of a change to a wallet's available balance (a hold placed at admission, a settlement, a credit)
 * and, if the wallet has a watch row, records a low-balance alert on a downward crossing
 * (`low-balance.ts`) and starts an auto-reload below its threshold (`reload/trigger.ts`). A
 * wallet nobody watches costs one primary-key read and nothing else; a watched wallet adds one
 * balance read, and writes only when a state flips. Callers pass how much their change LOWERED
 * the available balance (0 for a rise), so a crossing is recognised from the change itself even
 * when an earlier rise went by unhooked.
 */
import type { TxContext } from '../context.ts';
import { triggerAutoReload } from '../reload/trigger.ts';
import { assert } from '../shared/assert.ts';
import { getWalletBalance } from '../wallets/balance.ts';
import type { BalanceWatchRow } from './alerts.table.ts';
import { checkLowBalance } from './low-balance.ts';
import { findBalanceWatch } from './watch-row.ts';

export type BalanceChange = {
  account_id: string;
  /** How much this change lowered the available balance; 0 when it rose or stayed. */
  spent_micro_usd: bigint;
};

/** Checks the wallet's thresholds after `change`, in the caller's transaction. */
export async function watchBalance(tx: TxContext, change: BalanceChange): Promise<void> {
  assert(change.spent_micro_usd >= 0n, 'a balance change spends a non-negative amount');
  const watch = await findBalanceWatch(tx.db, change.account_id);
  if (watch === null || !isWatching(watch)) return;
  const { available_micro_usd } = await getWalletBalance(tx.db, change.account_id);
  await checkLowBalance(tx, watch, {
    available_micro_usd,
    spent_micro_usd: change.spent_micro_usd,
  });
  await triggerAutoReload(tx, watch, { available_micro_usd });
}

/** Whether the wallet has a low-balance threshold or auto-reload on (admission's hooks to run). */
export function isWatching(watch: BalanceWatchRow): boolean {
  return watch.low_balance_threshold_micro_usd !== null || watch.auto_reload_enabled === 1n;
}
