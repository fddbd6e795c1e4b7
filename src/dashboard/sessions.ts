/**
 * Browser sessions of the dashboard. A session is a random secret kept by the browser in an
 * HTTP-only cookie; the database keeps only its SHA-256, so a leaked table signs nobody in. A
 * customer session acts as one account (the account user who signed in); an operator session acts
 * as the operator, after the operator token was entered once. Sessions end at `expires_at_ms`
 * (`SESSION_TTL_MS` after sign-in, never extended) or at sign-out.
 *
 * CSRF: every session has a token derived from its secret (an HMAC keyed by the secret), which
 * the page reads from `GET /dashboard/v1/session` and sends back in `x-csrf-token` on every
 * write. A cross-site page can make the browser send the cookie, but cannot read that response,
 * so it cannot know the token (the synchronizer-token pattern, with nothing extra stored).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BaseContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { assert } from '../shared/assert.ts';
import type { DashboardSessionKind, DashboardSessionRow } from './dashboard.table.ts';

/** A session lasts this long from sign-in: a working day. */
export const SESSION_TTL_MS = 12n * 3_600_000n;
const SESSION_SECRET_BYTES = 32;
/** Expired sessions deleted per sign-in, so the table never grows without bound. */
const EXPIRED_SESSIONS_SWEPT_MAX = 100;

export type DashboardSession = Omit<DashboardSessionRow, 'token_hash'>;

export type NewSession =
  | { kind: 'customer'; account_id: string; user_id: string }
  | { kind: 'operator' };

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The CSRF token of the session whose cookie holds `secret`. */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('tollgate-dashboard-csrf').digest('base64url');
}

/** True when `token` is the CSRF token of the session whose cookie holds `secret`. */
export function csrfTokenMatches(secret: string, token: string): boolean {
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Starts a session and returns it with the secret for the cookie (the only time the secret
 * exists in clear). Deletes a bounded number of expired sessions on the way.
 */
export async function createSession(
  ctx: BaseContext,
  input: NewSession,
): Promise<{ session: DashboardSession; secret: string }> {
  const now_ms = ctx.clock.now_ms();
  const secret = ctx.ids.newSecret(SESSION_SECRET_BYTES);
  const kind: DashboardSessionKind = input.kind;
  const session: DashboardSession = {
    id: ctx.ids.newId('dsess'),
    kind,
    account_id: input.kind === 'customer' ? input.account_id : null,
    user_id: input.kind === 'customer' ? input.user_id : null,
    created_at_ms: now_ms,
    expires_at_ms: now_ms + SESSION_TTL_MS,
  };
  await sweepExpiredSessions(ctx.db, now_ms);
  await ctx.db
    .insertInto('dashboard_sessions')
    .values({ ...session, token_hash: hashSecret(secret) })
    .execute();
  return { session, secret };
}

/** The live session whose cookie holds `secret`, or null (unknown, signed out or expired). */
export async function findSession(
  ctx: Pick<BaseContext, 'db' | 'clock'>,
  secret: string,
): Promise<DashboardSession | null> {
  const row = await ctx.db
    .selectFrom('dashboard_sessions')
    .selectAll()
    .where('token_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (row === undefined || row.expires_at_ms <= ctx.clock.now_ms()) return null;
  const { token_hash: _hash, ...session } = row;
  assert(
    (session.kind === 'customer') === (session.account_id !== null),
    'a customer session, and only one, names an account',
  );
  return session;
}

/** Ends the session whose cookie holds `secret`; ending an ended session is a no-op. */
export async function deleteSession(ctx: Pick<BaseContext, 'db'>, secret: string): Promise<void> {
  await ctx.db
    .deleteFrom('dashboard_sessions')
    .where('token_hash', '=', hashSecret(secret))
    .execute();
}

async function sweepExpiredSessions(db: Kysely<DB>, now_ms: bigint): Promise<void> {
  const expired = await db
    .selectFrom('dashboard_sessions')
    .select('id')
    .where('expires_at_ms', '<=', now_ms)
    .limit(EXPIRED_SESSIONS_SWEPT_MAX)
    .execute();
  if (expired.length === 0) return;
  await db
    .deleteFrom('dashboard_sessions')
    .where(
      'id',
      'in',
      expired.map((row) => row.id),
    )
    .execute();
}
