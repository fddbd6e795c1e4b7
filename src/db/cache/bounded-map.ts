/**
 * A map with a fixed maximum number of entries: setting a new key past the bound evicts the
 * least recently used one (a `Map` keeps insertion order; a hit moves its key to the end). Every
 * in-process cache is one of these, so no cache grows without a bound.
 */
import { assert } from '../../shared/assert.ts';

export type BoundedMap<V> = {
  get: (key: string) => V | undefined;
  set: (key: string, value: V) => void;
  delete: (key: string) => void;
  clear: () => void;
  size: () => number;
};

export function createBoundedMap<V>(entries_max: number): BoundedMap<V> {
  assert(
    Number.isInteger(entries_max) && entries_max > 0,
    'a bounded map holds at least one entry',
  );
  const entries = new Map<string, V>();
  return {
    get: (key) => {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set: (key, value) => {
      entries.delete(key);
      if (entries.size >= entries_max) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
    },
    delete: (key) => {
      entries.delete(key);
    },
    clear: () => entries.clear(),
    size: () => entries.size,
  };
}
