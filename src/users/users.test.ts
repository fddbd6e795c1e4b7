import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { createTestUser, TEST_PASSWORD } from '../../test/users.ts';
import {
  authenticateUser,
  oldSignInAttempts,
  SIGN_IN_FAILURES_PER_EMAIL_MAX,
  SIGN_IN_FAILURES_PER_IP_MAX,
  SIGN_IN_WINDOW_MS,
} from './sign-in.ts';
import { createUser, listUsers } from './users.ts';

describe.each(dialects)('users on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('the purge of old sign-in failures finds them through the attempted_at_ms index, not a table scan', async () => {
    const query = oldSignInAttempts(t.ctx.db, 1_000n).compile();
    const plan = await t.ctx.db.transaction().execute(async (trx) => {
      if (t.ctx.dialect === 'postgres') {
        // An empty table is scanned whatever the indexes: ask whether the index can serve it.
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
      }
      const explain = t.ctx.dialect === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
      const result = await trx.executeQuery(
        CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]),
      );
      return result.rows.map((row) => Object.values(row as object).join(' ')).join('\n');
    });
    expect(plan).toContain('sign_in_attempts_attempted_at');
    expect(plan).not.toMatch(/SCAN sign_in_attempts\b(?! USING)|Seq Scan/);
  });

  it('a user signs in with their password (email case-insensitive) and gets their account', async () => {
    const ada = await createCustomer(t.ctx);
    const user = await createTestUser(t.ctx, ada.account_id, { email: 'Ada@Example.com ' });
    expect(user.email).toBe('ada@example.com');
    expect(user).not.toHaveProperty('password_hash');
    const row = await t.ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);
    const signedIn = await authenticateUser(t.ctx, {
      email: 'ADA@example.com',
      password: TEST_PASSWORD,
    });
    expect(signedIn).toEqual({ user_id: user.id, account_id: ada.account_id });
  });

  it('a wrong password and an unknown email are both null, and each is recorded as a failure', async () => {
    const ada = await createCustomer(t.ctx);
    const user = await createTestUser(t.ctx, ada.account_id);
    expect(await authenticateUser(t.ctx, { email: user.email, password: 'wrong-password' })).toBe(
      null,
    );
    expect(await authenticateUser(t.ctx, { email: 'nobody@example.com', password: 'x' })).toBe(
      null,
    );
    const failures = await t.ctx.db.selectFrom('sign_in_attempts').select('email').execute();
    expect(failures.map((row) => row.email).sort()).toEqual([user.email, 'nobody@example.com']);
  });

  it('an account may have several users, but an email names one user only', async () => {
    const ada = await createCustomer(t.ctx);
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const first = await createTestUser(t.ctx, ada.account_id, { email: 'one@example.com' });
    t.ctx.clock.advance(1n);
    const second = await createTestUser(t.ctx, ada.account_id, { email: 'two@example.com' });
    expect((await listUsers(t.ctx, ada.account_id)).map((u) => u.id)).toEqual([
      first.id,
      second.id,
    ]);
    await expect(
      createTestUser(t.ctx, bob.account_id, { email: 'ONE@example.com' }),
    ).rejects.toMatchObject({ code: 'email_taken', param: 'email' });
    expect(await listUsers(t.ctx, bob.account_id)).toEqual([]);
  });

  it('bad emails, short passwords and unknown accounts are refused naming the field', async () => {
    const ada = await createCustomer(t.ctx);
    const base = { account_id: ada.account_id, email: 'ok@example.com', password: 'long enough' };
    await expect(createUser(t.ctx, { ...base, email: 'not an email' })).rejects.toMatchObject({
      code: 'email_invalid',
      param: 'email',
    });
    await expect(createUser(t.ctx, { ...base, password: 'short' })).rejects.toMatchObject({
      code: 'password_invalid',
      param: 'password',
    });
    await expect(createUser(t.ctx, { ...base, account_id: 'acct_nope' })).rejects.toMatchObject({
      code: 'account_not_found',
    });
  });

  it('after 5 failures an email is refused even with the right password, until the window passes', async () => {
    const ada = await createCustomer(t.ctx);
    const user = await createTestUser(t.ctx, ada.account_id);
    for (let attempt = 0; attempt < SIGN_IN_FAILURES_PER_EMAIL_MAX; attempt++) {
      t.ctx.clock.advance(1_000n);
      expect(await authenticateUser(t.ctx, { email: user.email, password: 'wrong' })).toBeNull();
    }
    const right = { email: user.email, password: TEST_PASSWORD };
    const refused = authenticateUser(t.ctx, right);
    await expect(refused).rejects.toMatchObject({
      code: 'too_many_sign_in_attempts',
      details: { retry_after_s: 896 },
    });
    // The first failure leaves the window: one more attempt is allowed, and it succeeds.
    t.ctx.clock.advance(SIGN_IN_WINDOW_MS - 4_000n);
    expect(await authenticateUser(t.ctx, right)).toMatchObject({ user_id: user.id });
    // A success clears the email's failures.
    expect(await t.ctx.db.selectFrom('sign_in_attempts').selectAll().execute()).toEqual([]);
  });

  it('one address failing on many emails is refused after 20 failures; another address is not', async () => {
    const ada = await createCustomer(t.ctx);
    const user = await createTestUser(t.ctx, ada.account_id);
    for (let attempt = 0; attempt < SIGN_IN_FAILURES_PER_IP_MAX; attempt++) {
      const email = `guess${attempt}@example.com`;
      await authenticateUser(t.ctx, { email, password: 'wrong', ip_address: '203.0.113.9' });
    }
    const right = { email: user.email, password: TEST_PASSWORD };
    await expect(
      authenticateUser(t.ctx, { ...right, ip_address: '203.0.113.9' }),
    ).rejects.toMatchObject({ code: 'too_many_sign_in_attempts' });
    expect(await authenticateUser(t.ctx, { ...right, ip_address: '198.51.100.1' })).toMatchObject({
      user_id: user.id,
    });
  });
});
