/**
 * Calendar periods in an IANA time zone, computed with the platform's `Intl` time-zone database
 * (no library): the canonical name of a zone, and the start and end instants (epoch ms, end
 * exclusive) of the day or month containing an instant, or of a month named `YYYY-MM`. Daylight
 * saving time is honoured: a local day may last 23 or 25 hours, and each period starts at local
 * midnight. Pure apart from a bounded cache of formatters.
 */
import { assert } from './assert.ts';
import { toSafeNumber } from './clock.ts';

export type CalendarWindow = 'day' | 'month';
export const CALENDAR_WINDOWS: readonly CalendarWindow[] = ['day', 'month'];

/** A period of local time: `key` is `YYYY-MM` for a month, `YYYY-MM-DD` for a day. */
export type CalendarPeriod = { key: string; start_ms: bigint; end_ms: bigint };

export const TIME_ZONE_DEFAULT = 'UTC';
const TIME_ZONE_LENGTH_MAX = 64;
const FORMATTERS_CACHED_MAX = 512;
const MONTH_KEY_PATTERN = /^(\d{4})-(\d{2})$/;
const YEAR_MIN = 1970;
const YEAR_MAX = 9999;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's canonical IANA name (`europe/paris` → `Europe/Paris`), or null if unknown. */
export function canonicalTimeZone(name: string): string | null {
  if (name.length === 0 || name.length > TIME_ZONE_LENGTH_MAX) return null;
  // Offsets (`+02:00`) are not zones: they have no daylight saving time rules of their own.
  if (!/^[A-Za-z]/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function formatterFor(time_zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(time_zone);
  if (formatter === undefined) {
    if (formatters.size >= FORMATTERS_CACHED_MAX) formatters.clear();
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: time_zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(time_zone, formatter);
  }
  return formatter;
}

type LocalDate = { year: number; month: number; day: number };

/** The local wall-clock fields of an instant (whole seconds) in `time_zone`. */
function localFields(time_zone: string, at_ms: number) {
  const parts = formatterFor(time_zone).formatToParts(new Date(at_ms));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** How far local time is ahead of UTC at `at_ms`, in ms. */
function offsetMs(time_zone: string, at_ms: number): number {
  const whole_ms = at_ms - (((at_ms % 1000) + 1000) % 1000);
  const f = localFields(time_zone, whole_ms);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - whole_ms;
}

/** The instant of local midnight starting `date` (month and day may overflow: Date.UTC rules). */
function localMidnightMs(time_zone: string, date: LocalDate): number {
  const wall_ms = Date.UTC(date.year, date.month - 1, date.day);
  const first = wall_ms - offsetMs(time_zone, wall_ms);
  const second = wall_ms - offsetMs(time_zone, first);
  return second;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function monthPeriod(time_zone: string, year: number, month: number): CalendarPeriod {
  return {
    key: `${pad(year, 4)}-${pad(month, 2)}`,
    start_ms: BigInt(localMidnightMs(time_zone, { year, month, day: 1 })),
    end_ms: BigInt(localMidnightMs(time_zone, { year, month: month + 1, day: 1 })),
  };
}

/** The local day or month of `time_zone` containing `at_ms`. */
export function periodContaining(
  time_zone: string,
  window: CalendarWindow,
  at_ms: bigint,
): CalendarPeriod {
  const f = localFields(time_zone, toSafeNumber(at_ms));
  if (window === 'month') return monthPeriod(time_zone, f.year, f.month);
  const period = {
    key: `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}`,
    start_ms: BigInt(localMidnightMs(time_zone, f)),
    end_ms: BigInt(localMidnightMs(time_zone, { ...f, day: f.day + 1 })),
  };
  assert(
    period.start_ms <= at_ms && at_ms < period.end_ms,
    `day ${period.key} contains the instant`,
  );
  return period;
}

/** The month named `YYYY-MM` in `time_zone`, or null when the name is not a month. */
export function monthPeriodOf(time_zone: string, key: string): CalendarPeriod | null {
  const match = MONTH_KEY_PATTERN.exec(key);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12) return null;
  return monthPeriod(time_zone, year, month);
}

/** The month before `period` (a month of `time_zone`). */
export function previousMonth(time_zone: string, period: CalendarPeriod): CalendarPeriod {
  return periodContaining(time_zone, 'month', period.start_ms - 1n);
}
