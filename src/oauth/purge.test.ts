import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { IDEMPOTENCY_PURGE_INTERVAL_MS, startIdempotencyPurger } from '../idempotency/purger.ts';
import {
  authenticateUser,
  purgeOldSignInAttempts,
  SIGN_IN_ATTEMPT_PURGE_BATCH_SIZE_MAX,
  SIGN_IN_WINDOW_MS,
} from '../users/sign-in.ts';
import {
  OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX,
  purgeExpiredOAuthPayloads,
  purgeExpiredSignInRows,
} from './purge.ts';
import { createStorageAdapter, hashId } from './storage.ts';

describe.each(dialects)('purging the sign-in flow’s dead rows on %s', (dialect) => {
  const t = useTestContext(dialect);
  const tokens = () => createStorageAdapter(t.ctx)('AccessToken');
  const payloadIds = async () =>
    (await t.ctx.db.selectFrom('oauth_payloads').select('id_hash').execute())
      .map((row) => row.id_hash)
      .sort();
  const attemptEmails = async () =>
    (await t.ctx.db.selectFrom('sign_in_attempts').select('email').execute())
      .map((row) => row.email)
      .sort();
  const failSignIn = async (email: string) =>
    expect(await authenticateUser(t.ctx, { email, password: 'wrong password' })).toBeNull();

  /** Inserts `count` payloads that expired a second ago and `count` attempts past the window. */
  const insertDeadRows = async (count: number) => {
    const now_ms = t.ctx.clock.now_ms();
    await t.ctx.db
      .insertInto('oauth_payloads')
      .values(
        Array.from({ length: count }, (_, index) => ({
          model: 'Session',
          id_hash: hashId(`session-${index}`),
          payload: '{}',
          grant_id: null,
          uid: `uid-${index}`,
          user_code: null,
          expires_at_ms: now_ms - 1_000n,
          consumed_at_ms: null,
        })),
      )
      .execute();
    await t.ctx.db
      .insertInto('sign_in_attempts')
      .values(
        Array.from({ length: count }, (_, index) => ({
          id: `signin_old_${index}`,
          email: `user${index}@example.com`,
          ip_address: '203.0.113.9',
          attempted_at_ms: now_ms - SIGN_IN_WINDOW_MS,
        })),
      )
      .execute();
  };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('deletes payloads past their expiry and keeps live and unexpiring ones, still readable', async () => {
    await tokens().upsert('token-expiring', { kind: 'AccessToken' }, 60);
    await tokens().upsert('token-live', { kind: 'AccessToken' }, 3_600);
    await tokens().upsert('token-forever', { kind: 'AccessToken' });
    t.ctx.clock.advance(60_000n);
    expect(await purgeExpiredOAuthPayloads(t.ctx)).toBe(1);
    expect(await purgeExpiredOAuthPayloads(t.ctx)).toBe(0);
    expect(await payloadIds()).toEqual([hashId('token-live'), hashId('token-forever')].sort());
    expect(await tokens().find('token-live')).toMatchObject({ kind: 'AccessToken' });
  });

  it('deletes sign-in failures that left the window and keeps those still counting', async () => {
    await failSignIn('old@example.com');
    t.ctx.clock.advance(SIGN_IN_WINDOW_MS);
    await failSignIn('recent@example.com');
    expect(await attemptEmails()).toEqual(['old@example.com', 'recent@example.com']);
    expect(await purgeOldSignInAttempts(t.ctx)).toBe(1);
    expect(await purgeOldSignInAttempts(t.ctx)).toBe(0);
    expect(await attemptEmails()).toEqual(['recent@example.com']);
  });

  it('each purge call deletes at most one batch, and the next call the rest', async () => {
    expect(OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX).toBe(SIGN_IN_ATTEMPT_PURGE_BATCH_SIZE_MAX);
    await insertDeadRows(OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX + 1);
    expect(await purgeExpiredOAuthPayloads(t.ctx)).toBe(OAUTH_PAYLOAD_PURGE_BATCH_SIZE_MAX);
    expect(await purgeOldSignInAttempts(t.ctx)).toBe(SIGN_IN_ATTEMPT_PURGE_BATCH_SIZE_MAX);
    expect(await purgeExpiredSignInRows(t.ctx)).toEqual({ oauth_payloads: 1, sign_in_attempts: 1 });
    expect(await payloadIds()).toEqual([]);
    expect(await attemptEmails()).toEqual([]);
  });

  it('the periodic purger (the idempotency purge timer) purges both tables each tick', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await insertDeadRows(3);
    await tokens().upsert('token-live', { kind: 'AccessToken' }, 3_600);
    await failSignIn('recent@example.com');
    const purger = startIdempotencyPurger(t.ctx);
    await vi.advanceTimersByTimeAsync(IDEMPOTENCY_PURGE_INTERVAL_MS);
    await purger.stop();
    expect(await payloadIds()).toEqual([hashId('token-live')]);
    expect(await attemptEmails()).toEqual(['recent@example.com']);
  });
});
