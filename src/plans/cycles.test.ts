import { describe, expect, it } from 'vitest';
import { addMonthsUtc, nextCycle } from './cycles.ts';

const at = (iso: string) => BigInt(Date.parse(iso));
const iso = (ms: bigint) => new Date(Number(ms)).toISOString();

describe('cycle arithmetic', () => {
  it.each([
    ['2026-01-15T10:30:00.000Z', 1, '2026-02-15T10:30:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2028-01-31T00:00:00.000Z', 1, '2028-02-29T00:00:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 2, '2026-03-31T00:00:00.000Z'],
    ['2026-11-30T23:59:59.999Z', 3, '2027-02-28T23:59:59.999Z'],
    ['2026-12-01T00:00:00.000Z', 12, '2027-12-01T00:00:00.000Z'],
  ])(
    '%s plus %i month(s) is %s (the day clamped to the month, never drifting)',
    (from, months, to) => {
      expect(iso(addMonthsUtc(at(from), months))).toBe(to);
    },
  );

  it('a reset counts from the anchor: a 31 January anchor resets on 31 March after a short February', () => {
    const subscription = { anchor_at_ms: at('2026-01-31T08:00:00.000Z'), cycle_number: 2n };
    const next = nextCycle(subscription, 1, at('2026-03-31T08:00:00.000Z'));
    expect(next.cycle_number).toBe(3n);
    expect(iso(next.started_at_ms)).toBe('2026-03-31T08:00:00.000Z');
    expect(iso(next.resets_at_ms)).toBe('2026-04-30T08:00:00.000Z');
  });

  it('a gateway down across several resets skips to the cycle in progress', () => {
    const subscription = { anchor_at_ms: at('2026-01-10T00:00:00.000Z'), cycle_number: 1n };
    const next = nextCycle(subscription, 1, at('2026-05-20T00:00:00.000Z'));
    expect(next.cycle_number).toBe(5n);
    expect(iso(next.started_at_ms)).toBe('2026-05-10T00:00:00.000Z');
    expect(iso(next.resets_at_ms)).toBe('2026-06-10T00:00:00.000Z');
  });
});
