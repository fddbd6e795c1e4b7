/**
 * Pricing one usage against one rate card. Pure: no clock, no database, no I/O; the same card
 * and usage always give the same price. This module owns the billing arithmetic and the seed's
 * eligibility rules as a helper for admission; `usage.ts` owns which row a usage maps to.
 * Guarantees: a per-second charge is `divCeil(rate_micro_usd_per_s × billed_ms, 1000)`, rounded
 * up once per usage to a whole micro-dollar; flat rows ignore duration; every amount is in
 * [0, AMOUNT_MICRO_USD_MAX]; a usage the card does not offer is a `DomainError`, never 0.
 */
import { assert } from '../shared/assert.ts';
import { AMOUNT_MICRO_USD_MAX, divCeil } from '../shared/money.ts';
import { pricingError } from './errors.ts';
import {
  DURATION_MS_MAX,
  findRateRow,
  type RateCard,
  type RateRow,
  type RateUnit,
} from './rate-card.ts';
import {
  describeProduct,
  type Eligibility,
  skuForUsage,
  type Usage,
  unitForUsage,
} from './usage.ts';

// Callers quote and price through this module; these come from the files that define them.
export { DURATION_MS_MAX } from './rate-card.ts';
export type { Eligibility, Usage } from './usage.ts';
export { skuForUsage } from './usage.ts';

export type Price = {
  amount_micro_usd: bigint;
  sku: string;
  unit: RateUnit;
  /** Micro-USD per second for 'second' rows, per video or call otherwise. */
  rate_micro_usd: bigint;
  /** The duration charged after minimum and increment; `null` for flat rows. */
  billed_duration_ms: bigint | null;
  card_version: string;
};

/**
 * Prices `usage` on `card`. Eligibility (Avatar III, Enterprise-only rows) is the caller's to
 * check, with `checkEligibility` or the row's flags. A zero-length output prices at 0.
 */
export function price(card: RateCard, usage: Usage): Price {
  const row = rowForUsage(card, usage);
  if (row.rate_micro_usd === null) {
    throw pricingError(
      'product_not_offered',
      `${describeProduct(usage)} is available on Enterprise plans only and has no published ` +
        `self-serve rate on rate card ${card.version}; an Enterprise account is priced by the ` +
        `rate override its operator sets for ${row.sku}`,
    );
  }
  // Checked even where a flat row ignores it: a malformed duration is never silently accepted.
  const durationMs = durationOf(usage);
  const billedMs = row.unit === 'second' ? billedDurationMs(row, durationMs) : null;
  const amountMicroUsd =
    billedMs === null ? row.rate_micro_usd : divCeil(row.rate_micro_usd * billedMs, 1000n);
  assert(
    amountMicroUsd >= 0n && amountMicroUsd <= AMOUNT_MICRO_USD_MAX,
    `price: amount ${amountMicroUsd} µUSD for ${row.sku} is outside [0, AMOUNT_MICRO_USD_MAX]`,
  );
  return {
    amount_micro_usd: amountMicroUsd,
    sku: row.sku,
    unit: row.unit,
    rate_micro_usd: row.rate_micro_usd,
    billed_duration_ms: billedMs,
    card_version: card.version,
  };
}

/**
 * Throws `avatar_iii_not_available` or `enterprise_only` when the account may not use the row
 * `usage` maps to; returns nothing when it may. Pure: the account facts are passed in.
 */
export function checkEligibility(card: RateCard, usage: Usage, account: Eligibility): void {
  const row = rowForUsage(card, usage);
  if (row.existing_customers_only && !account.existing_avatar_iii_customer) {
    throw pricingError(
      'avatar_iii_not_available',
      'Avatar III is available to existing customers only; use Avatar IV (avatar_iv) or ' +
        'Avatar V (avatar_v) instead',
      'engine.type',
    );
  }
  if (row.enterprise_only && !account.enterprise) {
    throw pricingError(
      'enterprise_only',
      `${describeProduct(usage)} is available on Enterprise plans only`,
      'mode',
    );
  }
}

function rowForUsage(card: RateCard, usage: Usage): RateRow {
  const sku = skuForUsage(usage);
  const row = findRateRow(card, sku);
  if (row === null) {
    throw pricingError(
      'product_not_offered',
      `${describeProduct(usage)} (${sku}) is not offered on rate card ${card.version}`,
    );
  }
  // A card that prices a timed product per item (or the reverse) would bill nonsense.
  if (row.unit !== unitForUsage(usage)) {
    throw pricingError(
      'rate_card_invalid',
      `rate card ${card.version} prices ${sku} per ${row.unit}, not per ${unitForUsage(usage)}`,
    );
  }
  return row;
}

/** max(duration, minimum), rounded up to a whole number of increments. */
function billedDurationMs(row: RateRow, durationMs: bigint | null): bigint {
  if (durationMs === null) {
    throw pricingError('duration_invalid', `${row.sku} is priced per second and needs duration_ms`);
  }
  const atLeastMs =
    row.minimum_ms !== null && row.minimum_ms > durationMs ? row.minimum_ms : durationMs;
  if (row.increment_ms === null) return atLeastMs;
  return divCeil(atLeastMs, row.increment_ms) * row.increment_ms;
}

/** The usage's `duration_ms`, or `null` when it has none; throws when it is malformed. */
function durationOf(usage: Usage): bigint | null {
  const durationMs: unknown = 'duration_ms' in usage ? usage.duration_ms : undefined;
  if (durationMs === undefined) return null;
  if (typeof durationMs !== 'bigint' || durationMs < 0n || durationMs > DURATION_MS_MAX) {
    throw pricingError(
      'duration_invalid',
      `duration_ms must be a whole number of milliseconds in [0, ${DURATION_MS_MAX}]`,
      'duration_ms',
    );
  }
  return durationMs;
}
