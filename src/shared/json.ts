/**
 * JSON that carries bigints. A bare `JSON.stringify` throws on `bigint`; here every bigint becomes
 * a JSON integer, which is exact because all amounts stay below `AMOUNT_MICRO_USD_MAX` < 2^53.
 */
import { toSafeNumber } from './clock.ts';

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    typeof item === 'bigint' ? toSafeNumber(item) : item,
  );
}

/** A stable SHA-256 input for request bodies: keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  return stringifyJson(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}
