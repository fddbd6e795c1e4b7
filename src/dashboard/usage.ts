/**
 * A customer's usage per product per day, for the dashboard's chart: the charges of the account
 * (`jobs/charges.ts`: settled jobs with a positive charge) in a range, summed per product per
 * calendar day in the account's time zone. USD charges only: web-plan jobs are paid in credits and
 * `listCharges` leaves them out. Reads at most `USAGE_CHARGES_READ_MAX` charges; a range with more
 * is answered with what was read and `truncated: true`.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { CHARGE_PAGE_SIZE_MAX, type ChargeCursor, listCharges } from '../jobs/charges.ts';

export const USAGE_CHARGES_READ_MAX = 100_000;
/** The longest range the chart may ask for: a little over a year. */
export const USAGE_RANGE_MS_MAX = 400n * 86_400_000n;

export type UsageDay = {
  /** The calendar day in the account's time zone, `YYYY-MM-DD`. */
  day: string;
  product: string;
  charge_count: number;
  duration_ms: bigint;
  charged_amount_micro_usd: bigint;
};

export type UsageRequest = {
  account_id: string;
  from_ms: bigint;
  /** Exclusive. */
  to_ms: bigint;
  time_zone: string;
};

export async function usageByProductDay(
  db: Kysely<DB>,
  request: UsageRequest,
): Promise<{ days: UsageDay[]; truncated: boolean }> {
  const dayOf = dayFormatter(request.time_zone);
  const byKey = new Map<string, UsageDay>();
  let after: ChargeCursor | null = null;
  let read = 0;
  while (read < USAGE_CHARGES_READ_MAX) {
    const limit = Math.min(CHARGE_PAGE_SIZE_MAX, USAGE_CHARGES_READ_MAX - read);
    const charges = await listCharges(db, { ...request, after, limit });
    for (const charge of charges) {
      const day = dayOf(charge.completed_at_ms);
      const key = `${day} ${charge.product}`;
      const entry = byKey.get(key) ?? {
        day,
        product: charge.product,
        charge_count: 0,
        duration_ms: 0n,
        charged_amount_micro_usd: 0n,
      };
      entry.charge_count += 1;
      entry.duration_ms += charge.duration_ms ?? 0n;
      entry.charged_amount_micro_usd += charge.charged_amount_micro_usd;
      byKey.set(key, entry);
    }
    read += charges.length;
    const last = charges.at(-1);
    if (charges.length < limit || last === undefined) {
      return { days: sortDays(byKey), truncated: false };
    }
    after = { completed_at_ms: last.completed_at_ms, id: last.job_id };
  }
  return { days: sortDays(byKey), truncated: true };
}

function sortDays(byKey: Map<string, UsageDay>): UsageDay[] {
  return [...byKey.values()].sort((a, b) =>
    a.day === b.day ? a.product.localeCompare(b.product) : a.day.localeCompare(b.day),
  );
}

/** `YYYY-MM-DD` of an instant in `time_zone` (the `en-CA` locale writes dates that way). */
function dayFormatter(time_zone: string): (at_ms: bigint) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: time_zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (at_ms) => format.format(new Date(Number(at_ms)));
}
