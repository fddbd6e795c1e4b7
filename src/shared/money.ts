/**
 * Money is integer micro-USD held in a `bigint`. This module owns the exact conversions between
 * published decimal strings and micro-USD, the two rounding helpers (the name states the
 * direction), and the one upper bound that keeps every amount below 2^53 so int64 columns, JSON
 * integers and JavaScript clients all carry it exactly.
 */
import { assert } from './assert.ts';

export const MICRO_USD_PER_USD = 1_000_000n;
/** One billion dollars: far above any single job or grant, and far below 2^53. */
export const AMOUNT_MICRO_USD_MAX = 1_000_000_000n * MICRO_USD_PER_USD;

/** Divides and rounds toward negative infinity. `divisor` must be positive. */
export function divFloor(dividend: bigint, divisor: bigint): bigint {
  assert(divisor > 0n, 'divFloor: divisor must be positive');
  const quotient = dividend / divisor;
  return dividend % divisor !== 0n && dividend < 0n ? quotient - 1n : quotient;
}

/** Divides and rounds toward positive infinity. `divisor` must be positive. */
export function divCeil(dividend: bigint, divisor: bigint): bigint {
  assert(divisor > 0n, 'divCeil: divisor must be positive');
  const quotient = dividend / divisor;
  return dividend % divisor !== 0n && dividend > 0n ? quotient + 1n : quotient;
}

const DECIMAL_PATTERN = /^(\d{1,15})(?:\.(\d{1,18}))?$/;

/**
 * Converts a non-negative decimal string in units (e.g. USD, or credits) to an exact integer of
 * 10^-`scaleDigits` units. Returns `null` when the string is not a plain decimal or is not exact
 * at that scale ("0.0000001" USD is not a whole micro-dollar); never rounds.
 */
export function parseDecimalExact(text: string, scaleDigits: number): bigint | null {
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) return null;
  const whole = match[1]!;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > scaleDigits) return null;
  return (
    BigInt(whole) * 10n ** BigInt(scaleDigits) + BigInt(fraction.padEnd(scaleDigits, '0') || '0')
  );
}

/** "12.5" → 12_500_000n; `null` when not exact at the micro-dollar. */
export function parseUsdToMicroUsd(usd: string): bigint | null {
  return parseDecimalExact(usd, 6);
}

/**
 * Formats micro-USD as a decimal USD string with at least two decimals and no trailing zeros
 * beyond them: 667_000n → "0.667", 25_000_000n → "25.00", -1n → "-0.000001".
 */
export function formatMicroUsd(amountMicroUsd: bigint): string {
  const sign = amountMicroUsd < 0n ? '-' : '';
  const magnitude = amountMicroUsd < 0n ? -amountMicroUsd : amountMicroUsd;
  const whole = magnitude / MICRO_USD_PER_USD;
  const fraction = (magnitude % MICRO_USD_PER_USD).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${whole}.${fraction.padEnd(2, '0')}`;
}

/** Micro-USD for people: `$0.667`, `-$0.25` (the sign before the dollar sign). */
export function formatUsdForHumans(amountMicroUsd: bigint): string {
  const text = formatMicroUsd(amountMicroUsd);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/**
 * Micro-USD as a JSON number of dollars, for HeyGen's `number` fields. Exact for every amount
 * below `AMOUNT_MICRO_USD_MAX` up to the last printed digit (the decimal string is parsed once).
 */
export function microUsdToUsdNumber(amountMicroUsd: bigint): number {
  return Number(formatMicroUsd(amountMicroUsd));
}

export function isValidAmountMicroUsd(amount: bigint): boolean {
  return amount > 0n && amount <= AMOUNT_MICRO_USD_MAX;
}
