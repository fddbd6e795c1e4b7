/**
 * Cycle arithmetic, pure. A subscription's cycles are whole calendar months counted from its
 * anchor instant, in UTC (accounts have no time zone): cycle n starts `(n − 1) × cycle_months`
 * months after the anchor, at the anchor's time of day. A day the month lacks is clamped to the
 * month's last day (anchored on 31 January: 28 or 29 February, 31 March), always counted from the
 * anchor so a short month never shifts later resets.
 */
import { assert } from '../shared/assert.ts';

/** `at_ms` plus `months` calendar months in UTC, the day clamped to the target month's last. */
export function addMonthsUtc(at_ms: bigint, months: number): bigint {
  assert(Number.isInteger(months) && months >= 0, 'months to add is a whole number');
  const at = new Date(Number(at_ms));
  const monthIndex = at.getUTCMonth() + months;
  const year = at.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(at.getUTCDate(), lastDay);
  const time = [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()];
  return BigInt(Date.UTC(year, month, day, ...(time as [number, number, number, number])));
}

/** When cycle `cycle_number` (1-based) of a subscription anchored at `anchor_at_ms` starts. */
export function cycleStartMs(anchor_at_ms: bigint, cycle_months: number, cycle_number: bigint) {
  assert(cycle_number >= 1n, 'cycles are numbered from 1');
  return addMonthsUtc(anchor_at_ms, Number(cycle_number - 1n) * cycle_months);
}

/**
 * The cycle in progress at `now_ms` after `cycle_number` ended: the next cycle number at or
 * after `cycle_number + 1` whose end is after `now_ms` (a gateway that was down for months
 * skips the missed cycles rather than granting and expiring each), with its start and end.
 */
export function nextCycle(
  subscription: { anchor_at_ms: bigint; cycle_number: bigint },
  cycle_months: number,
  now_ms: bigint,
): { cycle_number: bigint; started_at_ms: bigint; resets_at_ms: bigint } {
  let cycle_number = subscription.cycle_number + 1n;
  // Bounded: one cycle is at least a month, and a gap of 10,000 months is not a real outage.
  for (let step = 0; step < 10_000; step++) {
    const resets_at_ms = cycleStartMs(subscription.anchor_at_ms, cycle_months, cycle_number + 1n);
    if (resets_at_ms > now_ms) {
      const started_at_ms = cycleStartMs(subscription.anchor_at_ms, cycle_months, cycle_number);
      return { cycle_number, started_at_ms, resets_at_ms };
    }
    cycle_number++;
  }
  assert(false, 'a subscription is within 10,000 cycles of now');
}
