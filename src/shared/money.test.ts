import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMOUNT_MICRO_USD_MAX,
  divCeil,
  divFloor,
  formatMicroUsd,
  formatUsdForHumans,
  microUsdToUsdNumber,
  parseDecimalExact,
  parseUsdToMicroUsd,
} from './money.ts';

describe('money', () => {
  it.each([
    [7n, 2n, 3n, 4n],
    [6n, 2n, 3n, 3n],
    [-7n, 2n, -4n, -3n],
    [0n, 5n, 0n, 0n],
    [1n, 1000n, 0n, 1n],
  ])('divFloor and divCeil of %s / %s round down to %s and up to %s', (a, b, floor, ceil) => {
    expect(divFloor(a, b)).toBe(floor);
    expect(divCeil(a, b)).toBe(ceil);
  });

  it('dividing by zero or a negative divisor is a broken invariant', () => {
    expect(() => divCeil(1n, 0n)).toThrow(/divisor/);
    expect(() => divFloor(1n, -1n)).toThrow(/divisor/);
  });

  it.each([
    ['0.0667', 66_700n],
    ['0.000667', 667n],
    ['7.00', 7_000_000n],
    ['100', 100_000_000n],
    ['0.1000000', 100_000n],
    ['0.0000001', null],
    ['1e3', null],
    ['-1.00', null],
    ['.5', null],
    ['1.', null],
    ['', null],
  ])('parseUsdToMicroUsd(%j) is %s: exact or refused, never rounded', (text, expected) => {
    expect(parseUsdToMicroUsd(text)).toBe(expected);
  });

  it('parses credits at milli scale exactly', () => {
    expect(parseDecimalExact('0.1', 3)).toBe(100n);
    expect(parseDecimalExact('0.0033', 3)).toBe(null);
  });

  it.each([
    [667_000n, '0.667'],
    [25_000_000n, '25.00'],
    [1n, '0.000001'],
    [-250_000n, '-0.25'],
    [0n, '0.00'],
  ])('formatMicroUsd(%s) is %s', (amount, text) => {
    expect(formatMicroUsd(amount)).toBe(text);
  });

  it('amounts for people put the sign before the dollar sign', () => {
    expect(formatUsdForHumans(-234_000n)).toBe('-$0.234');
    expect(formatUsdForHumans(1_000_500n)).toBe('$1.0005');
  });

  it('formatting then parsing returns every amount exactly', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, AMOUNT_MICRO_USD_MAX), (amount) => {
        expect(parseUsdToMicroUsd(formatMicroUsd(amount))).toBe(amount);
        expect(Math.round(microUsdToUsdNumber(amount) * 1e6)).toBe(Number(amount));
      }),
    );
  });

  it('divCeil is the least integer q with q * b >= a, divFloor the greatest with q * b <= a', () => {
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 18n), 10n ** 18n), fc.bigInt(1n, 10n ** 9n), (a, b) => {
        const ceil = divCeil(a, b);
        const floor = divFloor(a, b);
        expect(ceil * b >= a && (ceil - 1n) * b < a).toBe(true);
        expect(floor * b <= a && (floor + 1n) * b > a).toBe(true);
      }),
    );
  });
});
