/**
 * Pricing's closed list of error codes and the one constructor that raises them. Every pricing
 * failure a caller can cause (a bad rate card, a usage the card does not offer, an ineligible
 * account) is a `DomainError` with one of these codes and a message that is safe to show clients;
 * broken invariants go through `assert()` instead.
 */
import { DomainError } from '../shared/errors.ts';

export type PricingErrorCode =
  /** A published rate is not a whole number of micro-dollars (e.g. "0.0000005"). */
  | 'rate_not_exact'
  /** A raw rate card breaks a rule: duplicate sku, non-positive rate, bad increment, … */
  | 'rate_card_invalid'
  /** No rate card is in effect at the instant asked, or no card has the version asked. */
  | 'rate_card_not_found'
  /** The usage maps to no priced row of the card (4K cinematic, unpublished rate, …). */
  | 'product_not_offered'
  /** A duration that is not a bigint in [0, DURATION_MS_MAX]. */
  | 'duration_invalid'
  /** Avatar III asked for by an account that is not an existing Avatar III customer. */
  | 'avatar_iii_not_available'
  /** An Enterprise-only product asked for by an account that is not Enterprise. */
  | 'enterprise_only'
  /** An operator's card or override breaks a rule; `param` names the field (a 400). */
  | 'rate_card_rejected'
  /** An operator's card reuses a version that already exists. */
  | 'rate_card_version_taken'
  /** An operator asked for a card version that does not exist (a 404, unlike `rate_card_not_found`). */
  | 'rate_card_version_not_found';

export function pricingError(
  code: PricingErrorCode,
  message: string,
  param?: string,
): DomainError<PricingErrorCode> {
  return new DomainError(code, message, { param: param ?? null });
}
