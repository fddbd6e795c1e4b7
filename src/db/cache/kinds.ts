/**
 * What is cached in process, and how many entries each kind may hold at most. A new kind (OAuth
 * access tokens, say) adds its name and bound here, reads through `CacheHub.read` and announces
 * its changes with `announceInvalidation` (`announce.ts`).
 */

export type CacheKind =
  | 'api_key'
  | 'rate_card'
  | 'rate_card_index'
  | 'rate_override'
  | 'rate_override_by_id';

export const CACHE_ENTRIES_MAX: Readonly<Record<CacheKind, number>> = {
  /** API keys by hash: one entry per active key. */
  api_key: 10_000,
  /** Parsed rate cards by version (immutable: never invalidated, only evicted). */
  rate_card: 64,
  /** The list of stored rate card versions and their effective instants: one entry. */
  rate_card_index: 1,
  /** The override in force per account from an instant on (or its absence). */
  rate_override: 10_000,
  /** Parsed override rows by override id (immutable: a job's reference at settlement). */
  rate_override_by_id: 10_000,
};

export function isCacheKind(text: string): text is CacheKind {
  return Object.hasOwn(CACHE_ENTRIES_MAX, text);
}
