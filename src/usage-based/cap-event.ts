/**
 * The `spending_cap.reached` event: recorded once per period, in the transaction of the admission
 * (or settlement) that first takes the period's spending (charges plus holds in flight) to at
 * least `CAP_REACHED_PERCENT` of the cap. A refused admission cannot record it: a refusal writes
 * nothing (its transaction rolls back), which is why the event warns before refusals start
 * instead of reporting the first one. `usage_based_caps.cap_reached_period` remembers the period,
 * under the account's row lock, so concurrent admissions record it once.
 */
import type { TxContext } from '../context.ts';
import { recordEvent } from '../events/events.ts';
import { formatMicroUsd } from '../shared/money.ts';
import type { CalendarPeriod } from '../shared/time-zones.ts';
import type { CapSettings } from './spending.ts';

/** The share of the cap at which the event is recorded. */
export const CAP_REACHED_PERCENT = 90n;

export async function noteSpending(
  tx: TxContext,
  state: { settings: CapSettings; period: CalendarPeriod; spending_micro_usd: bigint },
): Promise<void> {
  const cap = state.settings.spending_cap_micro_usd;
  if (cap === null) return;
  if (state.spending_micro_usd * 100n < cap * CAP_REACHED_PERCENT) return;
  if (state.settings.cap_reached_period === state.period.key) return;
  const updated = await tx.db
    .updateTable('usage_based_caps')
    .set({ cap_reached_period: state.period.key, updated_at_ms: tx.clock.now_ms() })
    .where('account_id', '=', state.settings.account_id)
    .where((eb) =>
      eb.or([
        eb('cap_reached_period', 'is', null),
        eb('cap_reached_period', '!=', state.period.key),
      ]),
    )
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return;
  await recordEvent(tx, {
    type: 'spending_cap.reached',
    account_id: state.settings.account_id,
    payload: {
      period: state.period.key,
      threshold_percent: Number(CAP_REACHED_PERCENT),
      spending_micro_usd: state.spending_micro_usd,
      spending_usd: formatMicroUsd(state.spending_micro_usd),
      spending_cap_micro_usd: cap,
      spending_cap_usd: formatMicroUsd(cap),
    },
  });
}
