/**
 * The web app's one `formatMicroUsd` and its time formatting. Amounts arrive as integer
 * micro-dollars (JSON numbers below 2^53) and are shown in dollars with 2 to 6 decimals (as many as
 * the amount needs, never rounded), with the exact micro-dollar value for a `title`. Times are
 * shown in the account's time zone.
 */

const MICRO_PER_USD = 1_000_000;

/** `$24.333`, `$1.0005`, `-$0.50`: exact, at least two decimals. */
export function formatMicroUsd(micro: number): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / MICRO_PER_USD);
  let fraction = String(abs % MICRO_PER_USD).padStart(6, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${sign}$${whole.toLocaleString('en-US')}.${fraction}`;
}

/** `24,333,000 µUSD`: the exact value, for hover. */
export function microUsdTitle(micro: number): string {
  return `${micro.toLocaleString('en-US')} µUSD (exact)`;
}

export function formatTime(at_ms: number, time_zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: time_zone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(at_ms));
}

/** A decimal USD string from a form (`"25"`, `"25.5"`) as the API wants it, or null. */
export function normalizeUsdInput(text: string): string | null {
  const trimmed = text.trim().replace(/^\$/, '');
  return /^\d{1,9}(\.\d{1,6})?$/.test(trimmed) ? trimmed : null;
}
