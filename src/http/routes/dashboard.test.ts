/**
 * The dashboard's session at the HTTP edge: an operator session from the operator token, a
 * customer session acting as its account on the profile and billing routes only, the CSRF token
 * every cookie-authenticated write needs, API keys managed by a session (never by a key), sign
 * out, the account's time zone, and the console's reconcile.
 */
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { createSession, csrfTokenOf, SESSION_TTL_MS } from '../../dashboard/sessions.ts';

function cookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return header.split(';')[0]!;
}

describe.each(dialects)('dashboard sessions on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { paid_micro_usd: 10_000_000n } });

  async function customerSession() {
    const { secret } = await createSession(t.ctx, {
      kind: 'customer',
      account_id: t.ada.account_id,
      user_id: 'user_test',
    });
    return { cookie: `tollgate_session=${secret}`, csrf: csrfTokenOf(secret) };
  }

  it('the operator token signs in once and sets an HTTP-only, SameSite=Strict, Secure cookie', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/dashboard/v1/operator-sessions',
      payload: { operator_token: 'tgop_wrong' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.param).toBe('operator_token');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const token = t.operator.authorization!.replace('Bearer ', '');
    const signed = await t.app.inject({
      method: 'POST',
      url: '/dashboard/v1/operator-sessions',
      payload: { operator_token: token },
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const setCookie = String(signed.headers['set-cookie']);
    expect(setCookie).toMatch(/^tollgate_session=[A-Za-z0-9_-]+; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Secure');
    expect(signed.json().data).toMatchObject({ kind: 'operator', account_id: null });

    const accounts = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/accounts',
      headers: { cookie: cookieOf(signed.headers['set-cookie']) },
    });
    expect(accounts.statusCode).toBe(200);
  });

  it('a cookie-authenticated write without the CSRF token is refused and moves no money', async () => {
    const token = t.operator.authorization!.replace('Bearer ', '');
    const signed = await t.app.inject({
      method: 'POST',
      url: '/dashboard/v1/operator-sessions',
      payload: { operator_token: token },
    });
    const cookie = cookieOf(signed.headers['set-cookie']);
    const csrf = signed.json().data.csrf_token as string;
    const url = `/admin/v1/accounts/${t.ada.account_id}/adjustments`;
    const payload = { type: 'credit', amount_usd: '5.00', memo: 'goodwill' };

    const forged = await t.app.inject({ method: 'POST', url, payload, headers: { cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toMatchObject({
      code: 'csrf_token_invalid',
      param: 'x-csrf-token',
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie, 'x-csrf-token': `${csrf}x` },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await t.wallet()).remaining_balance).toBe(10);

    const made = await t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(made.statusCode, made.body).toBe(200);
    expect((await t.wallet()).remaining_balance).toBe(15);
    await expectLedgerBalanced(t.ctx);
  });

  it('a customer session reads its account and billing but cannot submit a job', async () => {
    const { cookie } = await customerSession();
    const me = await t.app.inject({ method: 'GET', url: '/v3/users/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().data.wallet.remaining_balance).toBe(10);
    const ledger = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/ledger',
      headers: { cookie },
    });
    expect(ledger.statusCode).toBe(200);

    const job = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: { cookie },
      payload: { type: 'avatar', avatar_id: 'look_twin_sofia', script: 'hi' },
    });
    expect(job.statusCode).toBe(401);
    const operator = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/accounts',
      headers: { cookie },
    });
    expect(operator.statusCode).toBe(401);
  });

  it('a bad API key is not rescued by a valid session cookie', async () => {
    const { cookie } = await customerSession();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v3/users/me',
      headers: { cookie, 'x-api-key': 'tg_not_a_key' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('a session creates a key shown once and revokes it; an API key cannot manage keys', async () => {
    const { cookie, csrf } = await customerSession();
    const headers = { cookie, 'x-csrf-token': csrf };
    const created = await t.app.inject({
      method: 'POST',
      url: '/dashboard/v1/api-keys',
      headers,
      payload: { name: 'ci' },
    });
    expect(created.statusCode, created.body).toBe(200);
    const { id, key } = created.json().data;
    expect(key).toMatch(/^tg_/);
    const listed = await t.app.inject({ method: 'GET', url: '/dashboard/v1/api-keys', headers });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v3/users/me', headers: { 'x-api-key': key } }))
        .statusCode,
    ).toBe(200);

    const byKey = await t.app.inject({
      method: 'POST',
      url: '/dashboard/v1/api-keys',
      headers: t.ada.headers,
      payload: {},
    });
    expect(byKey.statusCode).toBe(403);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/dashboard/v1/api-keys/${id}`,
      headers,
    });
    expect(revoked.json().data.revoked).toBe(true);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v3/users/me', headers: { 'x-api-key': key } }))
        .statusCode,
    ).toBe(401);
  });

  it("another account's key is not found for a session, and stays valid", async () => {
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const { cookie, csrf } = await customerSession();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/dashboard/v1/api-keys/${bob.api_key_id}`,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(res.statusCode).toBe(404);
    const me = await t.app.inject({ method: 'GET', url: '/v3/users/me', headers: bob.headers });
    expect(me.statusCode).toBe(200);
  });

  it('signing out needs the CSRF token, ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await customerSession();
    const forged = await t.app.inject({
      method: 'DELETE',
      url: '/dashboard/v1/session',
      headers: { cookie },
    });
    expect(forged.statusCode).toBe(403);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/dashboard/v1/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await t.app.inject({
      method: 'GET',
      url: '/dashboard/v1/session',
      headers: { cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('a session expires after its time to live', async () => {
    const { cookie } = await customerSession();
    t.ctx.clock.advance(SESSION_TTL_MS + 1n);
    const res = await t.app.inject({ method: 'GET', url: '/v3/users/me', headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });

  it('the time zone must be an IANA name and then dates the session', async () => {
    const { cookie, csrf } = await customerSession();
    const headers = { cookie, 'x-csrf-token': csrf };
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/dashboard/v1/preferences',
      headers,
      payload: { time_zone: 'Mars/Olympus' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('time_zone');
    const good = await t.app.inject({
      method: 'PATCH',
      url: '/dashboard/v1/preferences',
      headers,
      payload: { time_zone: 'Europe/Paris' },
    });
    expect(good.statusCode).toBe(200);
    const session = await t.app.inject({ method: 'GET', url: '/dashboard/v1/session', headers });
    expect(session.json().data.time_zone).toBe('Europe/Paris');
  });

  it('the console runs a reconcile and shows it as the last one', async () => {
    const none = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/reconciles/last',
      headers: t.operator,
    });
    expect(none.json().data).toBeNull();
    const run = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/reconciles',
      headers: t.operator,
    });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().data.ok).toBe(true);
    const last = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/reconciles/last',
      headers: t.operator,
    });
    expect(last.json().data).toMatchObject({ id: run.json().data.id, ok: true });
  });

  it('account search finds by username and email, and the bounds of usage are checked', async () => {
    const found = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/search/accounts?q=ADA',
      headers: t.operator,
    });
    expect(found.json().data.map((a: { id: string }) => a.id)).toEqual([t.ada.account_id]);
    const { cookie } = await customerSession();
    const usage = await t.app.inject({
      method: 'GET',
      url: '/dashboard/v1/usage?from=2026-12-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      headers: { cookie },
    });
    expect(usage.statusCode).toBe(400);
    expect(usage.json().error.param).toBe('from');
  });
});
