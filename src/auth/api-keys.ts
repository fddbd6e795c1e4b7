/**
 * API keys: a random secret shown once at creation, stored only as its SHA-256 with a visible
 * prefix for listings. A key authenticates until revoked; each use records `last_used_at_ms`
 * (at most once a minute per key and node).
 *
 * Authentication reads an active key through the node's cache (`db/cache/cache-hub.ts`, bounded,
 * by hash), so a request does not read the database for it; a revocation announces itself in its
 * transaction and takes effect on every node when it commits. Unknown and revoked keys are never
 * cached: each such attempt reads the database.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiKeyRow } from '../accounts/accounts.table.ts';
import { getAccount } from '../accounts/accounts.ts';
import type { AccountErrorCode } from '../accounts/errors.ts';
import type { BaseContext, TxContext } from '../context.ts';
import { announceInvalidation } from '../db/cache/announce.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';

export const API_KEY_PREFIX = 'tg_';
const API_KEY_SECRET_BYTES = 24;
const VISIBLE_PREFIX_LENGTH = 11;
/** `last_used_at_ms` is written at most this often per key, to keep reads cheap. */
const LAST_USED_RESOLUTION_MS = 60_000n;
/** Keys listed per account (a listing is not paginated; accounts hold a handful of keys). */
const API_KEYS_PER_ACCOUNT_LISTED_MAX = 1_000;

export type ApiKey = {
  id: string;
  account_id: string;
  prefix: string;
  name: string | null;
  created_at_ms: bigint;
  last_used_at_ms: bigint | null;
  revoked_at_ms: bigint | null;
};

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toApiKey(row: ApiKeyRow): ApiKey {
  const { key_hash: _hash, ...rest } = row;
  return rest;
}

/**
 * Creates a key for an account (`account_not_found` if unknown). The returned `key` is the only
 * time the secret exists in clear.
 */
export async function createApiKey(
  tx: TxContext,
  input: { account_id: string; name: string | null },
): Promise<ApiKey & { key: string }> {
  await getAccount(tx, input.account_id);
  const key = `${API_KEY_PREFIX}${tx.ids.newSecret(API_KEY_SECRET_BYTES)}`;
  const row: ApiKeyRow = {
    id: tx.ids.newId('key'),
    account_id: input.account_id,
    prefix: key.slice(0, VISIBLE_PREFIX_LENGTH),
    key_hash: hashApiKey(key),
    name: input.name,
    created_at_ms: tx.clock.now_ms(),
    last_used_at_ms: null,
    revoked_at_ms: null,
  };
  await tx.db.insertInto('api_keys').values(row).execute();
  return { ...toApiKey(row), key };
}

/**
 * The key's account if the key is known and not revoked; `null` otherwise (an outcome, not an
 * error: the HTTP edge turns it into 401).
 */
export async function authenticateApiKey(ctx: BaseContext, key: string): Promise<ApiKey | null> {
  const key_hash = hashApiKey(key);
  const found = await ctx.caches.read('api_key', key_hash, () => activeKeyOf(ctx.db, key_hash));
  if (found === undefined) return null;
  const now_ms = ctx.clock.now_ms();
  if (found.last_used_at_ms === null || now_ms - found.last_used_at_ms >= LAST_USED_RESOLUTION_MS) {
    // Set first, so the requests that arrive while the update runs do not repeat it.
    found.last_used_at_ms = now_ms;
    await ctx.db
      .updateTable('api_keys')
      .set({ last_used_at_ms: now_ms })
      .where('id', '=', found.id)
      .execute();
  }
  return { ...found };
}

/** The key with this hash if it exists and is not revoked (what may be cached). */
async function activeKeyOf(db: Kysely<DB>, key_hash: string): Promise<ApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', key_hash)
    .executeTakeFirst();
  return row === undefined || row.revoked_at_ms !== null ? undefined : toApiKey(row);
}

/** Revokes a key; revoking a revoked key is a no-op. `api_key_not_found` if unknown. */
export async function revokeApiKey(tx: TxContext, key_id: string): Promise<ApiKey> {
  const row = await tx.db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', key_id)
    .executeTakeFirst();
  if (row === undefined) {
    throw new DomainError<AccountErrorCode>('api_key_not_found', `API key ${key_id} not found.`, {
      param: 'key_id',
    });
  }
  if (row.revoked_at_ms === null) {
    row.revoked_at_ms = tx.clock.now_ms();
    await tx.db
      .updateTable('api_keys')
      .set({ revoked_at_ms: row.revoked_at_ms })
      .where('id', '=', key_id)
      .execute();
    await announceInvalidation(tx, 'api_key', row.key_hash);
  }
  return toApiKey(row);
}

/** The account's keys, oldest first, without secrets; `account_not_found` if unknown. */
export async function listApiKeys(
  ctx: { db: Kysely<DB>; config: TxContext['config'] },
  account_id: string,
): Promise<ApiKey[]> {
  await getAccount(ctx, account_id);
  const rows = await ctx.db
    .selectFrom('api_keys')
    .selectAll()
    .where('account_id', '=', account_id)
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(API_KEYS_PER_ACCOUNT_LISTED_MAX)
    .execute();
  return rows.map(toApiKey);
}
