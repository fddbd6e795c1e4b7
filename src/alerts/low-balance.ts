/**
 * Low-balance alerts: a customer-set threshold per wallet, and one `balance.low` event per
 * crossing: the available balance going from at-or-above the threshold to below it. The watch
 * row's `low_balance_armed` is 1 while the balance is known to be at or above the threshold; the
 * event is recorded by the conditional UPDATE that flips it to 0, so two transactions cannot both
 * record the same crossing, and nothing more is recorded while the balance stays below. It is
 * re-armed when a later check sees the balance back at or above the threshold, and a change that
 * itself starts at or above the threshold (its balance before = after + what it spent) counts as
 * a crossing even if the rise before it went unseen (a top-up by a path that does not call the
 * hook). Setting a threshold records nothing: it arms when the balance is at or above it.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { recordEvent } from '../events/events.ts';
import { assert } from '../shared/assert.ts';
import { getWalletBalance } from '../wallets/balance.ts';
import type { BalanceWatchRow } from './alerts.table.ts';
import { upsertBalanceWatch } from './watch-row.ts';

/** Records `balance.low` if this change crossed the threshold downwards; re-arms above it. */
export async function checkLowBalance(
  tx: TxContext,
  watch: BalanceWatchRow,
  balance: { available_micro_usd: bigint; spent_micro_usd: bigint },
): Promise<boolean> {
  const threshold = watch.low_balance_threshold_micro_usd;
  if (threshold === null) return false;
  const armed = watch.low_balance_armed === 1n;
  if (balance.available_micro_usd >= threshold) {
    if (!armed) await flipArmed(tx, watch.account_id, { from: 0n, to: 1n });
    return false;
  }
  const startedAbove = balance.available_micro_usd + balance.spent_micro_usd >= threshold;
  if (!armed && !startedAbove) return false;
  const flipped = await flipArmed(tx, watch.account_id, { from: watch.low_balance_armed, to: 0n });
  if (!flipped) return false;
  await recordEvent(tx, {
    type: 'balance.low',
    account_id: watch.account_id,
    payload: {
      threshold_micro_usd: threshold,
      available_micro_usd: balance.available_micro_usd,
    },
  });
  return true;
}

async function flipArmed(
  tx: TxContext,
  account_id: string,
  flip: { from: bigint; to: bigint },
): Promise<boolean> {
  const result = await tx.db
    .updateTable('balance_watches')
    .set({ low_balance_armed: flip.to })
    .where('account_id', '=', account_id)
    .where('low_balance_armed', '=', flip.from)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export type LowBalanceAlert = {
  threshold_micro_usd: bigint | null;
  /** True while the balance is at or above the threshold (the next drop below alerts). */
  armed: boolean;
};

/**
 * Sets (or with null, clears) the wallet's low-balance threshold. The alert is armed when the
 * available balance is at or above the new threshold now; nothing is recorded by the change.
 */
export async function setLowBalanceThreshold(
  tx: TxContext,
  input: { account_id: string; threshold_micro_usd: bigint | null },
): Promise<LowBalanceAlert> {
  assert(
    input.threshold_micro_usd === null || input.threshold_micro_usd >= 0n,
    'a low-balance threshold is not negative',
  );
  const { available_micro_usd } = await getWalletBalance(tx.db, input.account_id);
  const armed =
    input.threshold_micro_usd === null || available_micro_usd >= input.threshold_micro_usd;
  await upsertBalanceWatch(tx, {
    account_id: input.account_id,
    set: {
      low_balance_threshold_micro_usd: input.threshold_micro_usd,
      low_balance_armed: armed ? 1n : 0n,
    },
  });
  return { threshold_micro_usd: input.threshold_micro_usd, armed };
}

/** The wallet's low-balance alert setting (threshold null: no alert). */
export async function getLowBalanceAlert(
  db: Kysely<DB>,
  account_id: string,
): Promise<LowBalanceAlert> {
  const row = await db
    .selectFrom('balance_watches')
    .select(['low_balance_threshold_micro_usd', 'low_balance_armed'])
    .where('account_id', '=', account_id)
    .executeTakeFirst();
  return {
    threshold_micro_usd: row?.low_balance_threshold_micro_usd ?? null,
    armed: row === undefined || row.low_balance_armed === 1n,
  };
}
