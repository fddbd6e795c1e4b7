import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, monthPeriodOf, periodContaining, previousMonth } from './time-zones.ts';

const iso = (ms: bigint) => new Date(Number(ms)).toISOString();

describe('time zones', () => {
  it('accepts IANA names in their canonical spelling and refuses anything else', () => {
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('Europe/Paris')).toBe('Europe/Paris');
    for (const bad of ['', 'Mars/Olympus', '+02:00', 'x'.repeat(65), 'Europe/Paris;drop']) {
      expect(canonicalTimeZone(bad), bad).toBeNull();
    }
  });

  it.each([
    [
      'UTC',
      '2026-12-15T10:00:00Z',
      '2026-12',
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ],
    [
      'America/New_York',
      '2026-12-01T03:00:00Z',
      '2026-11',
      '2026-11-01T04:00:00.000Z',
      '2026-12-01T05:00:00.000Z',
    ],
    [
      'Asia/Tokyo',
      '2026-11-30T16:00:00Z',
      '2026-12',
      '2026-11-30T15:00:00.000Z',
      '2026-12-31T15:00:00.000Z',
    ],
    [
      'Europe/Paris',
      '2026-03-15T12:00:00Z',
      '2026-03',
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ],
  ])(
    'the month of %s containing %s is %s, local midnight to local midnight',
    (tz, at, key, start, end) => {
      const period = periodContaining(tz, 'month', BigInt(Date.parse(at)));
      expect({ key: period.key, start: iso(period.start_ms), end: iso(period.end_ms) }).toEqual({
        key,
        start,
        end,
      });
      expect(monthPeriodOf(tz, key)).toEqual(period);
    },
  );

  it('a local day across a daylight saving change lasts 23 hours and starts at local midnight', () => {
    const day = periodContaining('Europe/Paris', 'day', BigInt(Date.parse('2026-03-29T12:00:00Z')));
    expect(day.key).toBe('2026-03-29');
    expect(iso(day.start_ms)).toBe('2026-03-28T23:00:00.000Z');
    expect(day.end_ms - day.start_ms).toBe(23n * 3_600_000n);
  });

  it('month names outside the calendar are refused and the previous month steps back a year', () => {
    for (const bad of ['2026-13', '2026-00', '26-01', '2026-1', 'now']) {
      expect(monthPeriodOf('UTC', bad), bad).toBeNull();
    }
    expect(previousMonth('UTC', monthPeriodOf('UTC', '2026-01')!).key).toBe('2025-12');
  });
});
