/**
 * The rate cards this gateway knows, and the two ways to pick one: the card in effect now (for
 * admission and quotes) and the card with a given version (for settlement, so a job always
 * settles at the version it was admitted under). The default card is the only one today; adding
 * a card is adding it to `RATE_CARDS` with a later `effective_at_ms`.
 */
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { findRateCardByVersion, type RateCard, selectRateCard } from './rate-card.ts';

export const RATE_CARDS: readonly RateCard[] = Object.freeze([DEFAULT_RATE_CARD]);

/** The card in effect at `at_ms`. */
export function activeRateCard(at_ms: bigint): RateCard {
  return selectRateCard(RATE_CARDS, at_ms);
}

/** The card with `version`; `rate_card_not_found` (a 500: a stored version must exist). */
export function rateCardByVersion(version: string): RateCard {
  return findRateCardByVersion(RATE_CARDS, version);
}
