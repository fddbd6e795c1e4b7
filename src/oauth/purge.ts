/**
 * Reclaims the sign-in flow's dead rows, a bounded batch at a time: `oauth_payloads` rows past
 * their `expires_at_ms` (codes, tokens, sessions and interactions; the storage adapter already
 * ignores them on every read, so deleting them changes no answer) and `sign_in_attempts` older
 * than the rate-limit window (which only counts the window). One `purgeExpiredSignInRows` call
 * deletes at most `PURGE_BATCHES_PER_CALL_MAX` batches of each, so a large backlog is worked off
 * over several calls and never holds the database for long. Rows without an expiry (none today)
 * are never deleted here.
 */
import type { BaseContext } from '../context.ts';
import { purgeOldSignInAttempts } from '../users/sign-in.ts';

/** Expired payloads deleted per batch. */
export const OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX = 500;
/** Batches of each table per call: up to 10,000 payloads and as many sign-in attempts. */
const PURGE_BATCHES_PER_CALL_MAX = 20;

export type SignInPurge = { oauth_payloads: number; sign_in_attempts: number };

/** Deletes up to `OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX` expired payloads; returns how many. */
export async function purgeExpiredOAuthPayloads(ctx: BaseContext): Promise<number> {
  const now_ms = ctx.clock.now_ms();
  const expired = await ctx.db
    .selectFrom('oauth_payloads')
    .select(['model', 'id_hash'])
    .where('expires_at_ms', '<=', now_ms)
    .limit(OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX)
    .execute();
  if (expired.length === 0) return 0;
  const result = await ctx.db
    .deleteFrom('oauth_payloads')
    .where('expires_at_ms', '<=', now_ms)
    .where((eb) =>
      eb.or(
        expired.map((row) =>
          eb.and([eb('model', '=', row.model), eb('id_hash', '=', row.id_hash)]),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One purge step (for a periodic worker): bounded batches of both tables; returns the counts. */
export async function purgeExpiredSignInRows(ctx: BaseContext): Promise<SignInPurge> {
  return {
    oauth_payloads: await drain(() => purgeExpiredOAuthPayloads(ctx)),
    sign_in_attempts: await drain(() => purgeOldSignInAttempts(ctx)),
  };
}

async function drain(purgeBatch: () => Promise<number>): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < PURGE_BATCHES_PER_CALL_MAX; batch++) {
    const count = await purgeBatch();
    deleted += count;
    if (count === 0) break;
  }
  return deleted;
}
