/**
 * Schemas and renderings of rate cards and rate overrides, for the customer's
 * `GET /billing/v1/rate-card` and the operator's `/admin/v1/rate-cards` and
 * `/admin/v1/accounts/{account_id}/rate-overrides`. Rates travel as decimal strings exactly as
 * published (a JSON number would carry float error) and are shown again as exact micro-USD.
 * Types and bounds are checked here; the card's rules (exact rates, every sku once) in pricing.
 */
import { Type } from 'typebox';
import type { RateCard, RateRow } from '../../pricing/rate-card.ts';
import { DURATION_MS_MAX, RATE_CARD_ROWS_MAX } from '../../pricing/rate-card.ts';
import type { RateCardVersion } from '../../pricing/rate-card-store.ts';
import type { RateOverride } from '../../pricing/rate-overrides.ts';
import { isoOf, nullableWithDefault } from './render.ts';

const Sku = Type.String({ minLength: 1, maxLength: 100 });
const RateUsd = Type.String({ minLength: 1, maxLength: 40 });
const DurationMs = Type.Optional(
  nullableWithDefault(Type.Integer({ minimum: 1, maximum: Number(DURATION_MS_MAX) })),
);

export const CreateRateCardBody = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 64 }),
    /** ISO 8601; omitted or null means now. */
    effective_at: Type.Optional(
      nullableWithDefault(Type.String({ format: 'date-time', maxLength: 64 })),
    ),
    rows: Type.Array(
      Type.Object(
        {
          sku: Sku,
          unit: Type.Enum(['second', 'video', 'call']),
          rate_usd: Type.Union([RateUsd, Type.Null()]),
          increment_ms: DurationMs,
          minimum_ms: DurationMs,
          enterprise_only: Type.Optional(Type.Boolean()),
          existing_customers_only: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: RATE_CARD_ROWS_MAX },
    ),
  },
  { additionalProperties: false },
);

export const SetRateOverrideBody = Type.Object(
  {
    rows: Type.Array(
      Type.Object(
        { sku: Sku, rate_usd: RateUsd, increment_ms: DurationMs, minimum_ms: DurationMs },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: RATE_CARD_ROWS_MAX },
    ),
    memo: Type.Optional(nullableWithDefault(Type.String({ minLength: 1, maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const RateCardVersionParams = Type.Object({
  version: Type.String({ minLength: 1, maxLength: 64 }),
});

export function renderRateRow(row: RateRow) {
  return {
    sku: row.sku,
    unit: row.unit,
    rate_usd: row.rate_usd,
    rate_micro_usd: row.rate_micro_usd,
    increment_ms: row.increment_ms,
    minimum_ms: row.minimum_ms,
    enterprise_only: row.enterprise_only,
    existing_customers_only: row.existing_customers_only,
  };
}

export function renderRateCard(card: RateCard) {
  return {
    version: card.version,
    effective_at: isoOf(card.effective_at_ms),
    effective_at_ms: card.effective_at_ms,
    currency: 'usd',
    rows: card.rows.map(renderRateRow),
  };
}

export function renderRateCardVersion(version: RateCardVersion) {
  return {
    ...renderRateCard(version.card),
    status: version.status,
    active: version.status === 'active',
    built_in: version.built_in,
  };
}

export function renderRateOverride(override: RateOverride) {
  return {
    id: override.id,
    account_id: override.account_id,
    version: override.version,
    active: override.ended_at_ms === null,
    memo: override.memo,
    created_at: isoOf(override.created_at_ms),
    created_at_ms: override.created_at_ms,
    ended_at_ms: override.ended_at_ms,
    rows: override.rows.map(renderRateRow),
  };
}
