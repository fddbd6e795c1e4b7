/**
 * Rate cards as data: versioned, effective-dated lists of rows, one per sku. This module owns
 * turning a raw card (rates as decimal strings exactly as published) into a loaded card whose
 * every rate is an exact integer of micro-USD (`rate-card-store.ts` chooses the card in effect).
 * A loaded card is frozen and never rounds a rate: its skus are unique, its rates positive and at
 * most `RATE_MICRO_USD_MAX`, its increments and minimums within `DURATION_MS_MAX`, so every
 * price computed from it stays below `AMOUNT_MICRO_USD_MAX`.
 */
import { assert } from '../shared/assert.ts';
import { AMOUNT_MICRO_USD_MAX, parseDecimalExact, parseUsdToMicroUsd } from '../shared/money.ts';
import { pricingError } from './errors.ts';

export type RateUnit = 'second' | 'video' | 'call';

/** Longest output a single usage may be priced for: one day. */
export const DURATION_MS_MAX = 24n * 60n * 60n * 1000n;
/** Highest rate a row may carry: $1,000 per second, per video or per call. */
export const RATE_MICRO_USD_MAX = 1_000n * 1_000_000n;
export const RATE_CARD_ROWS_MAX = 1_000;

// The longest billed duration is below twice DURATION_MS_MAX (a minimum or an increment adds at
// most DURATION_MS_MAX), so the dearest possible price still fits one ledger amount.
assert(
  (RATE_MICRO_USD_MAX * 2n * DURATION_MS_MAX) / 1000n <= AMOUNT_MICRO_USD_MAX,
  'rate-card: RATE_MICRO_USD_MAX × DURATION_MS_MAX must fit AMOUNT_MICRO_USD_MAX',
);

const UNITS: readonly RateUnit[] = ['second', 'video', 'call'];
const SKU_PATTERN = /^[a-z0-9][a-z0-9_.]{0,99}$/;
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type RawRateRow = {
  sku: string;
  unit: RateUnit;
  /**
   * USD per second ('second' rows) or per item, exactly as published. `null` when the product is
   * offered but no self-serve rate is published (Enterprise contracts); such a row must be
   * `enterprise_only`, and pricing it is `product_not_offered`.
   */
  rate_usd: string | null;
  increment_ms?: bigint;
  minimum_ms?: bigint;
  enterprise_only?: true;
  /** Sold only to accounts that already use it (Avatar III on the seed). */
  existing_customers_only?: true;
};

export type RawRateCard = {
  version: string;
  effective_at_ms: bigint;
  rows: readonly RawRateRow[];
};

export type RateRow = {
  readonly sku: string;
  readonly unit: RateUnit;
  readonly rate_usd: string | null;
  /** Micro-USD per second for 'second' rows, per video or call otherwise; `null` if unpublished. */
  readonly rate_micro_usd: bigint | null;
  readonly increment_ms: bigint | null;
  readonly minimum_ms: bigint | null;
  readonly enterprise_only: boolean;
  readonly existing_customers_only: boolean;
};

export type RateCard = {
  readonly version: string;
  readonly effective_at_ms: bigint;
  /** In published order; skus are unique. */
  readonly rows: readonly RateRow[];
};

/** Validates a raw card and converts every rate exactly to micro-USD; throws, never rounds. */
export function loadRateCard(raw: RawRateCard): RateCard {
  if (!VERSION_PATTERN.test(raw.version)) {
    throw pricingError(
      'rate_card_invalid',
      `rate card version "${raw.version}" is not valid`,
      'version',
    );
  }
  if (typeof raw.effective_at_ms !== 'bigint' || raw.effective_at_ms < 0n) {
    throw invalid(raw.version, 'effective_at_ms must be a non-negative bigint', 'effective_at_ms');
  }
  if (raw.rows.length === 0 || raw.rows.length > RATE_CARD_ROWS_MAX) {
    throw invalid(raw.version, `must have between 1 and ${RATE_CARD_ROWS_MAX} rows`, 'rows');
  }
  const skus = new Set<string>();
  const rows = raw.rows.map((rawRow, index) => {
    const row = loadRateRow(raw.version, rawRow, `rows.${index}`);
    if (skus.has(row.sku)) {
      throw invalid(raw.version, `sku ${row.sku} appears twice`, `rows.${index}.sku`);
    }
    skus.add(row.sku);
    return row;
  });
  return Object.freeze({
    version: raw.version,
    effective_at_ms: raw.effective_at_ms,
    rows: Object.freeze(rows),
  });
}

/** `at` names the row in errors' `param` (`rows.3`), so a rejected card points at its field. */
function loadRateRow(version: string, raw: RawRateRow, at: string): RateRow {
  if (!SKU_PATTERN.test(raw.sku)) {
    throw invalid(version, `sku "${raw.sku}" is not valid`, `${at}.sku`);
  }
  if (!UNITS.includes(raw.unit)) {
    throw invalid(version, `sku ${raw.sku} has an unknown unit`, `${at}.unit`);
  }
  const increment_ms = loadDurationMs(version, raw, { field: 'increment_ms', at });
  const minimum_ms = loadDurationMs(version, raw, { field: 'minimum_ms', at });
  return Object.freeze({
    sku: raw.sku,
    unit: raw.unit,
    rate_usd: raw.rate_usd,
    rate_micro_usd: loadRateMicroUsd(version, raw, `${at}.rate_usd`),
    increment_ms,
    minimum_ms,
    enterprise_only: raw.enterprise_only === true,
    existing_customers_only: raw.existing_customers_only === true,
  });
}

function loadRateMicroUsd(version: string, raw: RawRateRow, param: string): bigint | null {
  if (raw.rate_usd === null) {
    if (raw.enterprise_only === true) return null;
    throw invalid(version, `sku ${raw.sku} has no rate and is not enterprise_only`, param);
  }
  // A JSON number would pass the decimal pattern after coercion, with its float error already in.
  if (typeof raw.rate_usd !== 'string') {
    throw invalid(version, `sku ${raw.sku} rate must be a decimal string, as published`, param);
  }
  const rateMicroUsd = parseUsdToMicroUsd(raw.rate_usd);
  if (rateMicroUsd === null) {
    // A plain decimal that fails only on scale is a sub-micro-dollar rate: never round it.
    if (parseDecimalExact(raw.rate_usd, 18) !== null) {
      throw pricingError(
        'rate_not_exact',
        `rate card ${version}: sku ${raw.sku} rate "${raw.rate_usd}" USD is not a whole ` +
          'micro-dollar; rates are never rounded',
        param,
      );
    }
    throw invalid(
      version,
      `sku ${raw.sku} rate "${raw.rate_usd}" is not a plain decimal USD`,
      param,
    );
  }
  if (rateMicroUsd <= 0n || rateMicroUsd > RATE_MICRO_USD_MAX) {
    throw invalid(version, `sku ${raw.sku} rate must be above 0 and at most 1000 USD`, param);
  }
  return rateMicroUsd;
}

function loadDurationMs(
  version: string,
  raw: RawRateRow,
  where: { field: 'increment_ms' | 'minimum_ms'; at: string },
): bigint | null {
  const { field } = where;
  const value = raw[field];
  if (value === undefined) return null;
  const param = `${where.at}.${field}`;
  if (raw.unit !== 'second') {
    const problem = `sku ${raw.sku} is priced per ${raw.unit} and cannot have ${field}`;
    throw invalid(version, problem, param);
  }
  if (typeof value !== 'bigint' || value <= 0n || value > DURATION_MS_MAX) {
    throw invalid(version, `sku ${raw.sku} ${field} must be in [1, ${DURATION_MS_MAX}] ms`, param);
  }
  return value;
}

export function findRateRow(card: RateCard, sku: string): RateRow | null {
  return card.rows.find((row) => row.sku === sku) ?? null;
}

function invalid(version: string, problem: string, param: string) {
  return pricingError('rate_card_invalid', `rate card ${version}: ${problem}`, param);
}
