/**
 * The in-process caches of a gateway node (API keys, rate cards, rate overrides) and the one way
 * they are invalidated, so a change made on any node or process is seen at once everywhere.
 *
 * - `read(kind, key, load)` answers from the cache, or runs `load` (a database read) and keeps
 *   its value, unless an invalidation arrived while `load` ran (a generation counter), so a
 *   read that raced a change never stores the old state. `undefined` is never cached.
 * - A change is announced with `announceInvalidation(tx, kind, key)` inside the transaction
 *   that makes it (`announce.ts`). On the announcing node the key is dropped and HELD at once:
 *   a held key is read from the database on every request (never cached) until its change is
 *   known to be committed, so the node that made a change sees it as soon as its commit returns.
 *   - PostgreSQL: `pg_notify` on `CACHE_CHANNEL`, which PostgreSQL delivers to every listening
 *     node at commit (the announcing node included: that releases its hold). Each node LISTENs
 *     on its own connection (`pg-listener.ts`); while that connection is down the node's caches
 *     are flushed and bypassed (every read goes to the database), and they are flushed again
 *     when it listens again, so a notification lost during an outage never leaves a stale entry.
 *     Other nodes see a change when its notification arrives, a round trip after the commit.
 *   - SQLite: one process writes through one write connection; holds are released when that
 *     connection's transaction ends (`on_write_end`). Another process on the same file (the
 *     `tollgate` CLI revoking a key while the gateway runs) is seen through SQLite's
 *     `PRAGMA data_version` of the write connection, which moves only when ANOTHER connection
 *     commits: checked on every read, a move flushes every cache of the process.
 * - Each kind has a fixed maximum of entries (`CACHE_ENTRIES_MAX`), least recently used out.
 */
import type { Logger } from 'pino';
import type { Database } from '../connect.ts';
import { type BoundedMap, createBoundedMap } from './bounded-map.ts';
import { CACHE_ENTRIES_MAX, type CacheKind } from './kinds.ts';
import { startPgListener } from './pg-listener.ts';

export type CacheHub = {
  read: <V>(
    kind: CacheKind,
    key: string,
    load: () => Promise<V | undefined>,
  ) => Promise<V | undefined>;
  /** Drops `key` of `kind` (or every key of it, with `null`) in this process, now. */
  invalidate: (kind: CacheKind, key: string | null) => void;
  /**
   * Drops `key` of `kind` (every key, with `null`) and reads it from the database until the
   * announcing transaction has ended (see the module header). For `announceInvalidation`.
   */
  hold: (kind: CacheKind, key: string | null) => void;
  close: () => Promise<void>;
};

/**
 * Keys held at once at most; past it the whole kind is held (not cached) until released. On
 * PostgreSQL a hold whose transaction rolled back is never released (no notification comes):
 * that key is then always read from the database, which costs time, never correctness.
 */
const HELD_KEYS_MAX = 1_000;

/** The source of invalidations from other processes or nodes. */
type RemoteSource = {
  /** False while changes elsewhere could go unseen: the caches are then bypassed. */
  usable: () => boolean;
  close: () => Promise<void>;
};

export function createCacheHub(database: Database, log: Logger): CacheHub {
  const maps = new Map<CacheKind, BoundedMap<unknown>>();
  for (const kind of Object.keys(CACHE_ENTRIES_MAX) as CacheKind[]) {
    maps.set(kind, createBoundedMap(CACHE_ENTRIES_MAX[kind]));
  }
  let generation = 0;
  // `kind\tkey` of each held key (`kind\t` for a whole kind).
  const held = new Set<string>();
  const heldName = (kind: CacheKind, key: string | null) => `${kind}\t${key ?? ''}`;
  const isHeld = (kind: CacheKind, key: string) =>
    held.size > 0 && (held.has(heldName(kind, key)) || held.has(heldName(kind, null)));
  const drop = (kind: CacheKind, key: string | null) => {
    generation++;
    const map = maps.get(kind)!;
    if (key === null) map.clear();
    else map.delete(key);
  };
  const flush = () => {
    generation++;
    for (const map of maps.values()) map.clear();
  };
  /** The change to (kind, key) is committed (or rolled back): drop it and release its hold. */
  const invalidate = (kind: CacheKind, key: string | null) => {
    drop(kind, key);
    held.delete(heldName(kind, key));
  };
  const releaseAll = () => {
    const names = [...held];
    held.clear();
    for (const name of names) {
      const [kind, key] = name.split('\t') as [CacheKind, string];
      drop(kind, key === '' ? null : key);
    }
  };
  database.on_write_end?.(() => {
    if (held.size > 0) releaseAll();
  });
  let remote: RemoteSource | null = null;
  const remoteSource = (): RemoteSource => {
    remote ??= openRemoteSource(database, { invalidate, flush }, log);
    return remote;
  };

  return {
    read: async <V>(kind: CacheKind, key: string, load: () => Promise<V | undefined>) => {
      if (!remoteSource().usable()) return load();
      if (isHeld(kind, key)) return load();
      const map = maps.get(kind)!;
      const hit = map.get(key);
      if (hit !== undefined) return hit as V;
      const started = generation;
      const value = await load();
      if (value !== undefined && generation === started && remoteSource().usable()) {
        map.set(key, value);
      }
      return value;
    },
    invalidate,
    hold: (kind, key) => {
      drop(kind, key);
      // Past the bound, caching stops altogether until the holds are released (a flush).
      if (held.size < HELD_KEYS_MAX) held.add(heldName(kind, key));
      else held.add(heldName(kind, null));
    },
    close: async () => {
      flush();
      await remote?.close();
    },
  };
}

function openRemoteSource(
  database: Database,
  hub: { invalidate: (kind: CacheKind, key: string | null) => void; flush: () => void },
  log: Logger,
): RemoteSource {
  if (database.external_version !== undefined) {
    const version = database.external_version;
    let seen: bigint | null = null;
    return {
      // Called before every cached read: a move of the version since the last call means another
      // process committed, so nothing cached before can be trusted.
      usable: () => {
        let now: bigint | null;
        try {
          now = version();
        } catch {
          now = null; // the connection is busy streaming: treat as changed
        }
        if (now === null || now !== seen) hub.flush();
        seen = now;
        return now !== null;
      },
      close: async () => {},
    };
  }
  if (database.url !== undefined) return startPgListener(database.url, hub, log);
  return { usable: () => false, close: async () => {} };
}
