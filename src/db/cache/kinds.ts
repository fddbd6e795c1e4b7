/**
 * What is cached in process, and how many entries each kind may hold at most. A new kind (OAuth
 * access tokens, say) adds its name and bound here, reads through `CacheHub.read` and announces
 * its changes with `announceInvalidation` (`announce.ts`).
 */

export type CacheKind = 'api_key' | 'rate_card_index' | 'rate_override';

export const CACHE_ENTRIES_MAX: Readonly<Record<CacheKind, number>> = {
  /** API keys by hash: one entry per active key. */
  api_key: 10_000,
  /** The list of stored rate card versions and their effective instants: one entry. */
  rate_card_index: 1,
  /** The override in force per account (or its absence). */
  rate_override: 10_000,
};

export function isCacheKind(text: string): text is CacheKind {
  return Object.hasOwn(CACHE_ENTRIES_MAX, text);
}
