/**
 * Signing a user in by email and password, rate-limited. Failed attempts are rows in
 * `sign_in_attempts` (so the limit holds across gateway nodes and restarts) and are counted in a
 * sliding window per email and per client address: over either limit, every attempt (even with
 * the right password) is refused with `too_many_sign_in_attempts` until old failures leave the
 * window. A successful sign-in clears the email's failures. Two attempts racing may both pass the
 * count, so the limit can be exceeded by the number of concurrent attempts, never more.
 * Failures past the window are dropped when the same email or address fails again, and the rest
 * by `purgeOldSignInAttempts` (a bounded batch per call, run periodically).
 */
import type { Kysely } from 'kysely';
import { type BaseContext, withTransaction } from '../context.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';
import type { UserErrorCode } from './errors.ts';
import { verifyPassword } from './passwords.ts';
import { normalizeEmail } from './users.ts';

export const SIGN_IN_WINDOW_MS = 15n * 60n * 1000n;
/** Failed attempts per email within the window before sign-in is refused. */
export const SIGN_IN_FAILURES_PER_EMAIL_MAX = 5;
/** Failed attempts per client address within the window (any emails) before it is refused. */
export const SIGN_IN_FAILURES_PER_IP_MAX = 20;
/** Attempts past the window deleted per purge call. */
export const SIGN_IN_ATTEMPT_PURGE_BATCH_SIZE_MAX = 500;

export type SignIn = { email: string; password: string; ip_address?: string | null };
export type SignedIn = { user_id: string; account_id: string };

/**
 * The user whose email and password these are, or `null` (an outcome: wrong email or password,
 * not told apart). Throws `too_many_sign_in_attempts` (with `retry_after_s`) when the email or
 * the address has failed too often in the last 15 minutes.
 */
export async function authenticateUser(ctx: BaseContext, input: SignIn): Promise<SignedIn | null> {
  const email = normalizeEmail(input.email);
  const ip_address = input.ip_address ?? null;
  await refuseWhenLimited(ctx, email, ip_address);
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'account_id', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
  const matched = await verifyPassword(user?.password_hash ?? null, input.password);
  if (user === undefined || !matched) {
    await recordFailure(ctx, email, ip_address);
    return null;
  }
  await ctx.db.deleteFrom('sign_in_attempts').where('email', '=', email).execute();
  return { user_id: user.id, account_id: user.account_id };
}

async function refuseWhenLimited(
  ctx: BaseContext,
  email: string,
  ip_address: string | null,
): Promise<void> {
  const since_ms = ctx.clock.now_ms() - SIGN_IN_WINDOW_MS;
  const byEmail = await failuresSince(ctx, 'email', email, since_ms);
  const byIp =
    ip_address === null ? [] : await failuresSince(ctx, 'ip_address', ip_address, since_ms);
  const limited =
    byEmail.length >= SIGN_IN_FAILURES_PER_EMAIL_MAX
      ? byEmail[byEmail.length - SIGN_IN_FAILURES_PER_EMAIL_MAX]
      : byIp.length >= SIGN_IN_FAILURES_PER_IP_MAX
        ? byIp[byIp.length - SIGN_IN_FAILURES_PER_IP_MAX]
        : undefined;
  if (limited === undefined) return;
  // The attempt that has to leave the window before one more is allowed.
  const wait_ms = limited + SIGN_IN_WINDOW_MS - ctx.clock.now_ms();
  const retry_after_s = Math.max(1, Math.ceil(Number(wait_ms) / 1000));
  throw new DomainError<UserErrorCode>(
    'too_many_sign_in_attempts',
    `Too many failed sign-in attempts. Try again in ${retry_after_s} seconds.`,
    { details: { retry_after_s } },
  );
}

/** Times of the failures in the window, oldest first (at most the larger limit are read). */
async function failuresSince(
  ctx: BaseContext,
  column: 'email' | 'ip_address',
  value: string,
  since_ms: bigint,
): Promise<bigint[]> {
  const rows = await ctx.db
    .selectFrom('sign_in_attempts')
    .select('attempted_at_ms')
    .where(column, '=', value)
    .where('attempted_at_ms', '>', since_ms)
    .orderBy('attempted_at_ms', 'desc')
    .limit(SIGN_IN_FAILURES_PER_IP_MAX)
    .execute();
  return rows.map((row) => row.attempted_at_ms).reverse();
}

/** Records a failure and drops this email's and address's failures that left the window. */
async function recordFailure(
  ctx: BaseContext,
  email: string,
  ip_address: string | null,
): Promise<void> {
  const now_ms = ctx.clock.now_ms();
  await withTransaction(ctx, async (tx) => {
    await tx.db
      .deleteFrom('sign_in_attempts')
      .where((eb) =>
        eb.or([
          eb('email', '=', email),
          ...(ip_address === null ? [] : [eb('ip_address', '=', ip_address)]),
        ]),
      )
      .where('attempted_at_ms', '<=', now_ms - SIGN_IN_WINDOW_MS)
      .execute();
    await tx.db
      .insertInto('sign_in_attempts')
      .values({ id: tx.ids.newId('signin'), email, ip_address, attempted_at_ms: now_ms })
      .execute();
  });
}

/**
 * Deletes up to `SIGN_IN_ATTEMPT_PURGE_BATCH_SIZE_MAX` failures that left the window (they no
 * longer count against any limit); returns how many. Bounded per call.
 */
export async function purgeOldSignInAttempts(ctx: BaseContext): Promise<number> {
  const cutoff_ms = ctx.clock.now_ms() - SIGN_IN_WINDOW_MS;
  const old = await oldSignInAttempts(ctx.db, cutoff_ms).execute();
  if (old.length === 0) return 0;
  const ids = old.map((row) => row.id);
  const result = await ctx.db
    .deleteFrom('sign_in_attempts')
    .where('id', 'in', ids)
    .where('attempted_at_ms', '<=', cutoff_ms)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * One purge batch's ids: failures at or before `cutoff_ms`, found through the
 * `sign_in_attempts_attempted_at` index (migration 0015), not a scan of the table.
 */
export function oldSignInAttempts(db: Kysely<DB>, cutoff_ms: bigint) {
  return db
    .selectFrom('sign_in_attempts')
    .select('id')
    .where('attempted_at_ms', '<=', cutoff_ms)
    .limit(SIGN_IN_ATTEMPT_PURGE_BATCH_SIZE_MAX);
}
