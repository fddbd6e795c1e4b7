/**
 * Starting an auto-reload, in the transaction that saw the available balance below the wallet's
 * reload threshold (`alerts/balance-watch.ts`): at most ONE reload is in flight per wallet. The
 * watch row's `auto_reload_pending_id` is claimed with a conditional UPDATE (so of twenty
 * admissions racing below the threshold, on any number of nodes, one wins) and the `pending`
 * attempt row is inserted beside it, under a partial unique index as a second guard. The daily
 * cap bounds what is reloaded per UTC day (pending and succeeded attempts count): past it no
 * reload starts until the next day. The payment itself happens later, outside any transaction
 * (`perform.ts`).
 */

import type { BalanceWatchRow } from '../alerts/alerts.table.ts';
import type { TxContext } from '../context.ts';
import { assert } from '../shared/assert.ts';
import { dailyCapOf, reloadDayStartMs } from './daily-cap.ts';
import type { AutoReloadRow } from './reload.table.ts';

/** Opens a reload if the balance is below the threshold, none is in flight and the cap allows. */
export async function triggerAutoReload(
  tx: TxContext,
  watch: BalanceWatchRow,
  balance: { available_micro_usd: bigint },
): Promise<AutoReloadRow | null> {
  const threshold = watch.auto_reload_threshold_micro_usd;
  const amount = watch.auto_reload_amount_micro_usd;
  if (watch.auto_reload_enabled !== 1n || watch.auto_reload_pending_id !== null) return null;
  if (threshold === null || amount === null) return null;
  if (balance.available_micro_usd >= threshold) return null;
  const now_ms = tx.clock.now_ms();
  const day_start_ms = reloadDayStartMs(now_ms);
  const reloaded = await reloadedOnDay(tx, { account_id: watch.account_id, day_start_ms });
  if (reloaded + amount > dailyCapOf(watch)) return null;
  const id = tx.ids.newId('reload');
  const claimed = await tx.db
    .updateTable('balance_watches')
    .set({ auto_reload_pending_id: id })
    .where('account_id', '=', watch.account_id)
    .where('auto_reload_enabled', '=', 1n)
    .where('auto_reload_pending_id', 'is', null)
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) return null;
  const row: AutoReloadRow = {
    id,
    account_id: watch.account_id,
    status: 'pending',
    amount_micro_usd: amount,
    day_start_ms,
    payment_intent_id: null,
    grant_id: null,
    failure_code: null,
    failure_message: null,
    created_at_ms: now_ms,
    completed_at_ms: null,
  };
  await tx.db.insertInto('auto_reloads').values(row).execute();
  return row;
}

/** What pending and succeeded reloads of `day_start_ms` amount to. */
async function reloadedOnDay(
  tx: TxContext,
  at: { account_id: string; day_start_ms: bigint },
): Promise<bigint> {
  const row = await tx.db
    .selectFrom('auto_reloads')
    .select((eb) => eb.fn.sum<bigint | string | number | null>('amount_micro_usd').as('total'))
    .where('account_id', '=', at.account_id)
    .where('day_start_ms', '=', at.day_start_ms)
    .where('status', 'in', ['pending', 'succeeded'])
    .executeTakeFirstOrThrow();
  const total = row.total === null ? 0n : BigInt(row.total);
  assert(total >= 0n, 'reloaded amounts are positive');
  return total;
}
