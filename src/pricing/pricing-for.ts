/**
 * The one entry point for "which prices apply": `pricingFor` at admission and quotes (the card
 * in effect at an instant, with the account's override in force then) and `pricingByRef` at
 * settlement (exactly the card version and override a job recorded when it was admitted). Both
 * return the effective card: the card version with the override's rows in place of the card's.
 */
import { assert } from '../shared/assert.ts';
import { pricingError } from './errors.ts';
import type { RateCard, RateRow } from './rate-card.ts';
import { findRateCard, type PricingReader, rateCardAt } from './rate-card-store.ts';
import { findRateOverride, type RateOverride, rateOverrideAt } from './rate-overrides.ts';

export type Pricing = {
  /** The card to price on: the version's rows, with the override's rows in their place. */
  card: RateCard;
  rate_card_version: string;
  /** The account's override in force, or `null`. */
  override_id: string | null;
};

/** The prices for `account_id` at `at_ms`: the card in effect then and the override in force. */
export async function pricingFor(
  ctx: PricingReader,
  request: { account_id: string; at_ms: bigint },
): Promise<Pricing> {
  const card = await rateCardAt(ctx, request.at_ms);
  const override = await rateOverrideAt(ctx, request);
  return withOverride(card, override);
}

/**
 * The prices a job was admitted under. A missing version or override is `rate_card_not_found`
 * (a 500: versions are never deleted, so a job's reference always exists).
 */
export async function pricingByRef(
  ctx: PricingReader,
  ref: { rate_card_version: string; override_id: string | null },
): Promise<Pricing> {
  const card = await findRateCard(ctx, ref.rate_card_version);
  if (card === null) {
    throw pricingError('rate_card_not_found', `no rate card has version ${ref.rate_card_version}`);
  }
  if (ref.override_id === null) return withOverride(card, null);
  const override = await findRateOverride(ctx, ref.override_id);
  if (override === null) {
    throw pricingError('rate_card_not_found', `no rate override has id ${ref.override_id}`);
  }
  return withOverride(card, override);
}

function withOverride(card: RateCard, override: RateOverride | null): Pricing {
  if (override === null) return { card, rate_card_version: card.version, override_id: null };
  return {
    card: applyOverride(card, override.rows),
    rate_card_version: card.version,
    override_id: override.id,
  };
}

/**
 * The card with each overridden sku's rate, increment and minimum replaced. The card's unit and
 * eligibility flags stay: an override changes a price, not who may buy the product.
 */
export function applyOverride(card: RateCard, rows: readonly RateRow[]): RateCard {
  const bySku = new Map(rows.map((row) => [row.sku, row]));
  const merged = card.rows.map((row) => {
    const override = bySku.get(row.sku);
    if (override === undefined) return row;
    assert(override.unit === row.unit, `override of ${row.sku} keeps its unit`);
    return Object.freeze({
      ...row,
      rate_usd: override.rate_usd,
      rate_micro_usd: override.rate_micro_usd,
      increment_ms: override.increment_ms,
      minimum_ms: override.minimum_ms,
    });
  });
  return Object.freeze({ ...card, rows: Object.freeze(merged) });
}
