import { describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import {
  authorize,
  authorizeUrl,
  createBrowser,
  createPublicClient,
  csrfOf,
  newPkce,
  REDIRECT_URI,
  revokeRequest,
  tokenRequest,
} from '../../../test/oauth.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { createTestUser } from '../../../test/users.ts';
import { ACCESS_TOKEN_TTL_S } from '../../oauth/provider.ts';
import { SIGN_IN_FAILURES_PER_EMAIL_MAX } from '../../users/sign-in.ts';

describe.each(dialects)('OAuth authorization code + PKCE on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const me = (token: string) =>
    t.app.inject({
      method: 'GET',
      url: '/v3/users/me',
      headers: { authorization: `Bearer ${token}` },
    });

  it('a client signs a user in, gets tokens, calls /v3, refreshes (rotating) and revokes', async () => {
    const client = await createPublicClient(t.ctx);
    const user = await createTestUser(t.ctx, t.ada.account_id);
    const pkce = newPkce();
    const browser = createBrowser(t.app);
    const query = await authorize(browser, { client_id: client.client_id, pkce, ...user });
    expect(query.get('state')).toBe('state-1');
    const exchanged = await tokenRequest(t.app, {
      grant_type: 'authorization_code',
      code: query.get('code')!,
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(exchanged.statusCode).toBe(200);
    const tokens = exchanged.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof tokens.refresh_token).toBe('string');
    const first = await me(tokens.access_token);
    expect(first.statusCode).toBe(200);
    expect(first.json().data.username).toBe('ada');

    const refreshed = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await me(next.access_token)).statusCode).toBe(200);

    const revoked = await revokeRequest(t.app, {
      token: next.refresh_token,
      client_id: client.client_id,
    });
    expect(revoked.statusCode).toBe(200);
    // Revoking the refresh token ends its grant: every token of it is rejected at once.
    for (const token of [next.access_token, tokens.access_token]) {
      const after = await me(token);
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('authentication_failed');
    }
    const again = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: next.refresh_token,
      client_id: client.client_id,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe('invalid_grant');
    await expectLedgerBalanced(t.ctx);
  });

  /** A client, a user, and a code issued to them (with its PKCE verifier). */
  async function issueCode() {
    const client = await createPublicClient(t.ctx);
    const user = await createTestUser(t.ctx, t.ada.account_id);
    const pkce = newPkce();
    const browser = createBrowser(t.app);
    const query = await authorize(browser, { client_id: client.client_id, pkce, ...user });
    const exchange = (overrides: Record<string, string> = {}) =>
      tokenRequest(t.app, {
        grant_type: 'authorization_code',
        code: query.get('code')!,
        client_id: client.client_id,
        redirect_uri: REDIRECT_URI,
        code_verifier: pkce.verifier,
        ...overrides,
      });
    return { client, user, browser, exchange };
  }

  it('a wrong code_verifier is invalid_grant and issues nothing', async () => {
    const { exchange } = await issueCode();
    const res = await exchange({ code_verifier: newPkce().verifier });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
    expect(res.json()).not.toHaveProperty('access_token');
  });

  it('a code is used once: the second exchange is refused and revokes the first tokens', async () => {
    const { exchange } = await issueCode();
    const first = await exchange();
    expect(first.statusCode).toBe(200);
    const reused = await exchange();
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error).toBe('invalid_grant');
    expect((await me(first.json().access_token)).statusCode).toBe(401);
  });

  it('a token exchanged with another redirect_uri or by another client is refused', async () => {
    const { exchange } = await issueCode();
    await createPublicClient(t.ctx, 'another-client-0001');
    const wrongRedirect = await exchange({ redirect_uri: 'http://localhost:7777/elsewhere' });
    expect(wrongRedirect.statusCode).toBe(400);
    expect(wrongRedirect.json().error).toBe('invalid_grant');
    const wrongClient = await exchange({ client_id: 'another-client-0001' });
    expect(wrongClient.statusCode).toBe(400);
    expect(wrongClient.json().error).toBe('invalid_grant');
    const unknownClient = await exchange({ client_id: 'nobody-client-0001' });
    expect(unknownClient.statusCode).toBe(401);
    expect(unknownClient.json().error).toBe('invalid_client');
  });

  it('an access token past its expiry is 401 in the envelope; refreshing still works', async () => {
    const { client, exchange } = await issueCode();
    const tokens = (await exchange()).json();
    expect((await me(tokens.access_token)).statusCode).toBe(200);
    t.ctx.clock.advance(BigInt(ACCESS_TOKEN_TTL_S) * 1000n);
    const expired = await me(tokens.access_token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error).toMatchObject({ code: 'authentication_failed' });
    const refreshed = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    expect(refreshed.statusCode).toBe(200);
    expect((await me(refreshed.json().access_token)).statusCode).toBe(200);
  });

  it('an unregistered redirect_uri or unknown client is an error page, never a redirect', async () => {
    const client = await createPublicClient(t.ctx);
    const browser = createBrowser(t.app);
    for (const url of [
      authorizeUrl({
        client_id: client.client_id,
        pkce: newPkce(),
        redirect_uri: 'https://evil.example/cb',
      }),
      authorizeUrl({ client_id: 'nobody-client-0001', pkce: newPkce() }),
    ]) {
      const res = await browser.get(url);
      expect(res.statusCode).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toContain('text/html');
    }
  });

  it('authorize without PKCE is refused back to the client with invalid_request', async () => {
    const client = await createPublicClient(t.ctx);
    const url = authorizeUrl({ client_id: client.client_id, pkce: newPkce() })
      .replace(/&code_challenge=[^&]+/, '')
      .replace('&code_challenge_method=S256', '');
    const res = await createBrowser(t.app).get(url);
    expect(res.statusCode).toBe(303);
    const query = new URL(res.headers.location as string).searchParams;
    expect(query.get('error')).toBe('invalid_request');
  });

  it('the sign-in page escapes the client name, refuses a forged form and rate-limits failures', async () => {
    const client = await createPublicClient(t.ctx);
    const user = await createTestUser(t.ctx, t.ada.account_id);
    const browser = createBrowser(t.app);
    const start = await browser.get(authorizeUrl({ client_id: client.client_id, pkce: newPkce() }));
    const page = await browser.get(start.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Video &lt;CLI&gt;');
    expect(page.body).not.toContain('Video <CLI>');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const action = `${new URL(start.headers.location as string, 'http://h').pathname}/login`;
    const forged = await browser.postForm(action, {
      csrf: 'forged',
      email: user.email,
      password: user.password,
    });
    expect(forged.statusCode).toBe(403);
    const csrf = csrfOf(page.body);
    for (let attempt = 0; attempt < SIGN_IN_FAILURES_PER_EMAIL_MAX; attempt++) {
      const wrong = await browser.postForm(action, { csrf, email: user.email, password: 'nope' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('Wrong email or password.');
    }
    const signIn = { email: user.email, password: user.password };
    const limited = await browser.postForm(action, { csrf, ...signIn });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('Too many failed sign-in attempts');
  });

  it('a consent denied sends access_denied to the client and issues no code', async () => {
    const client = await createPublicClient(t.ctx);
    const user = await createTestUser(t.ctx, t.ada.account_id);
    const browser = createBrowser(t.app);
    let res = await browser.get(authorizeUrl({ client_id: client.client_id, pkce: newPkce() }));
    res = await browser.get(res.headers.location as string);
    const login = /action="([^"]+)"/.exec(res.body)![1]!;
    const signIn = { email: user.email, password: user.password };
    res = await browser.postForm(login, { csrf: csrfOf(res.body), ...signIn });
    res = await browser.get(res.headers.location as string);
    res = await browser.get(res.headers.location as string);
    expect(res.body).toContain('Allow access?');
    const consent = /action="([^"]+)"/.exec(res.body)![1]!;
    res = await browser.postForm(consent, { csrf: csrfOf(res.body), decision: 'deny' });
    res = await browser.get(res.headers.location as string);
    const query = new URL(res.headers.location as string).searchParams;
    expect(query.get('error')).toBe('access_denied');
    expect(query.get('code')).toBeNull();
  });
});
