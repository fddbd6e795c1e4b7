/**
 * Announcing a change to cached data, from inside the transaction that makes it
 * (`cache-hub.ts`): this node stops caching the key at once, and every node drops it when the
 * transaction commits (PostgreSQL delivers the notification at commit and drops it on rollback;
 * SQLite's process releases it when its write transaction ends). Any code that changes what a
 * cache holds calls this in the same transaction.
 */
import { sql } from 'kysely';
import type { TxContext } from '../../context.ts';
import type { CacheKind } from './kinds.ts';
import { CACHE_CHANNEL } from './pg-listener.ts';

/** `key` null: every key of `kind`. */
export async function announceInvalidation(
  tx: TxContext,
  kind: CacheKind,
  key: string | null,
): Promise<void> {
  tx.caches.hold(kind, key);
  if (tx.dialect === 'postgres') {
    await sql`select pg_notify(${CACHE_CHANNEL}, ${`${kind}\t${key ?? ''}`})`.execute(tx.db);
  }
}
