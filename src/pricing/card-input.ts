/**
 * Checking an operator's rate card or rate override before it is stored. A card must be FULL: one
 * row for every sku Tollgate prices (the default card's skus), each with that sku's unit, and no
 * other sku; an override names any subset of those skus with new rates. Both go through the same
 * loader as the default card (`loadRateCard`): rates are exact decimal strings, never rounded.
 * Every rejection is `rate_card_rejected` with `param` naming the field (`rows.3.rate_usd`), so
 * the operator sees which row is wrong, and nothing is written.
 */
import { DomainError } from '../shared/errors.ts';
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { type PricingErrorCode, pricingError } from './errors.ts';
import {
  loadRateCard,
  type RateCard,
  type RateRow,
  type RateUnit,
  type RawRateRow,
} from './rate-card.ts';

export type RateRowInput = {
  sku: string;
  unit: RateUnit;
  rate_usd: string | null;
  increment_ms?: bigint | null;
  minimum_ms?: bigint | null;
  enterprise_only?: boolean;
  existing_customers_only?: boolean;
};

export type RateCardInput = { version: string; effective_at_ms: bigint; rows: RateRowInput[] };

/** An override row: a new rate (and optional increment or minimum) for one sku of the card. */
export type OverrideRowInput = {
  sku: string;
  rate_usd: string;
  increment_ms?: bigint | null;
  minimum_ms?: bigint | null;
};

/** The unit of every sku Tollgate prices: the catalog a full card must cover exactly. */
const SKU_UNITS: ReadonlyMap<string, RateUnit> = new Map(
  DEFAULT_RATE_CARD.rows.map((row) => [row.sku, row.unit]),
);

/** Validates a full card; `rate_card_rejected` naming the field when it breaks any rule. */
export function validateRateCardInput(input: RateCardInput): RateCard {
  const card = loadRejectingAsInput({
    version: input.version,
    effective_at_ms: input.effective_at_ms,
    rows: input.rows.map(toRawRow),
  });
  card.rows.forEach((row, index) => {
    checkKnownSku(row.sku, `rows.${index}.sku`);
    if (row.unit !== SKU_UNITS.get(row.sku)) {
      throw rejected(
        `sku ${row.sku} is priced per ${SKU_UNITS.get(row.sku)}, not per ${row.unit}`,
        `rows.${index}.unit`,
      );
    }
  });
  const present = new Set(card.rows.map((row) => row.sku));
  const missing = [...SKU_UNITS.keys()].filter((sku) => !present.has(sku));
  if (missing.length > 0) {
    throw rejected(`a rate card must price every sku; missing: ${missing.join(', ')}`, 'rows');
  }
  return card;
}

/** Validates an override's rows; they are loaded with the unit of their sku. */
export function validateOverrideRows(rows: readonly OverrideRowInput[]): RateRow[] {
  rows.forEach((row, index) => {
    checkKnownSku(row.sku, `rows.${index}.sku`);
  });
  return loadOverrideRows(rows, loadRejectingAsInput);
}

/** Loads override rows as stored (already validated); a failure here is a broken invariant. */
export function loadStoredOverrideRows(rows: readonly OverrideRowInput[]): RateRow[] {
  return loadOverrideRows(rows, loadRateCard);
}

function loadOverrideRows(rows: readonly OverrideRowInput[], load: typeof loadRateCard): RateRow[] {
  const raw = rows.map((row) => toRawRow({ ...row, unit: SKU_UNITS.get(row.sku) ?? 'second' }));
  return [...load({ version: 'override', effective_at_ms: 0n, rows: raw }).rows];
}

/** A submitted (or stored) row as the loader takes it. */
export function toRawRow(row: RateRowInput): RawRateRow {
  return {
    sku: row.sku,
    unit: row.unit,
    rate_usd: row.rate_usd,
    ...(row.increment_ms != null ? { increment_ms: row.increment_ms } : {}),
    ...(row.minimum_ms != null ? { minimum_ms: row.minimum_ms } : {}),
    ...(row.enterprise_only === true ? { enterprise_only: true as const } : {}),
    ...(row.existing_customers_only === true ? { existing_customers_only: true as const } : {}),
  };
}

const LOADER_CODES: readonly PricingErrorCode[] = ['rate_card_invalid', 'rate_not_exact'];

/** The loader's own codes mean "a stored card is broken" (500); from an operator they are a 400. */
function loadRejectingAsInput(raw: Parameters<typeof loadRateCard>[0]): RateCard {
  try {
    return loadRateCard(raw);
  } catch (err) {
    if (err instanceof DomainError && LOADER_CODES.includes(err.code as PricingErrorCode)) {
      throw rejected(err.message, err.param ?? 'rows');
    }
    throw err;
  }
}

function checkKnownSku(sku: string, param: string): void {
  if (!SKU_UNITS.has(sku)) {
    throw rejected(`unknown sku ${sku}; known skus: ${[...SKU_UNITS.keys()].join(', ')}`, param);
  }
}

function rejected(message: string, param: string) {
  return pricingError('rate_card_rejected', message, param);
}
