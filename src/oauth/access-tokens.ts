/**
 * Bearer access tokens on the customer API. A token is valid while its row exists (revocation
 * deletes it, and every token of its grant), its expiry (our clock) is ahead, its client is still
 * registered and its user still exists; it then acts for the user's account. One function, read
 * on every request, so a cache in front of it can be added the way API keys get one, as long
 * as revocation and client deletion still take effect at once.
 */
import type { BaseContext } from '../context.ts';
import { findUser } from '../users/users.ts';
import { findOAuthClientRow } from './clients.ts';
import { hashId } from './storage.ts';

export type AccessTokenPrincipal = { account_id: string; user_id: string; client_id: string };

/** Who the token acts for, or `null` (unknown, expired, revoked, client or user gone). */
export async function authenticateAccessToken(
  ctx: BaseContext,
  token: string,
): Promise<AccessTokenPrincipal | null> {
  const row = await ctx.db
    .selectFrom('oauth_payloads')
    .select(['payload', 'expires_at_ms'])
    .where('model', '=', 'AccessToken')
    .where('id_hash', '=', hashId(token))
    .executeTakeFirst();
  if (row === undefined) return null;
  if (row.expires_at_ms !== null && row.expires_at_ms <= ctx.clock.now_ms()) return null;
  const payload = JSON.parse(row.payload) as { accountId?: unknown; clientId?: unknown };
  if (typeof payload.accountId !== 'string' || typeof payload.clientId !== 'string') return null;
  const [user, client] = await Promise.all([
    findUser(ctx, payload.accountId),
    findOAuthClientRow(ctx, payload.clientId),
  ]);
  if (user === null || client === null) return null;
  return { account_id: user.account_id, user_id: user.id, client_id: client.id };
}
