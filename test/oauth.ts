/**
 * An OAuth client driving Tollgate's authorization server through `inject()` as a browser and a
 * HeyGen-style client would: a cookie jar, PKCE (S256), the authorize → sign-in → consent →
 * redirect walk, and the form-encoded token and revocation requests of API.md §14.
 * `accessTokenFor` runs that whole flow for a test customer and returns bearer headers.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../src/context.ts';
import { withTransaction } from '../src/context.ts';
import { createOAuthClient } from '../src/oauth/clients.ts';
import { hashPassword } from '../src/users/passwords.ts';
import { insertUser } from '../src/users/users.ts';
import type { Customer } from './customers.ts';
import type { TestServer } from './server-fixture.ts';
import { TEST_PASSWORD } from './users.ts';

export const REDIRECT_URI = 'http://localhost:7777/callback';

export type Pkce = { verifier: string; challenge: string };

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function createPublicClient(ctx: AppContext, client_id = 'heygen-cli-test-01') {
  return withTransaction(ctx, (tx) =>
    createOAuthClient(tx, {
      name: 'Video <CLI>',
      client_type: 'public',
      redirect_uris: [REDIRECT_URI],
      client_id,
    }),
  );
}

/** A browser: remembers cookies across `inject()` calls (by name, like one site's jar). */
export function createBrowser(app: TestServer) {
  const jar = new Map<string, string>();
  const remember = (setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    async get(url: string) {
      const res = await app.inject({
        method: 'GET',
        url: pathOf(url),
        headers: { cookie: cookie() },
      });
      remember(res.headers['set-cookie']);
      return res;
    },
    async postForm(
      url: string,
      form: Record<string, string>,
      headers: Record<string, string> = {},
    ) {
      const res = await app.inject({
        method: 'POST',
        url: pathOf(url),
        headers: {
          cookie: cookie(),
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        payload: new URLSearchParams(form).toString(),
      });
      remember(res.headers['set-cookie']);
      return res;
    },
  };
}

export type Browser = ReturnType<typeof createBrowser>;

export function pathOf(url: string): string {
  const parsed = new URL(url, 'http://localhost');
  return `${parsed.pathname}${parsed.search}`;
}

export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (match?.[1] === undefined) throw new Error(`no CSRF token in page: ${html.slice(0, 200)}`);
  return match[1];
}

export function authorizeUrl(options: {
  client_id: string;
  pkce: Pkce;
  redirect_uri?: string;
  state?: string;
}): string {
  const query = new URLSearchParams({
    client_id: options.client_id,
    state: options.state ?? 'state-1',
    redirect_uri: options.redirect_uri ?? REDIRECT_URI,
    code_challenge: options.pkce.challenge,
    code_challenge_method: 'S256',
    response_type: 'code',
    scope: 'openid profile email',
  });
  return `/oauth/authorize?${query}`;
}

/**
 * Walks authorize → sign-in → consent (allow) in `browser` and returns the redirect's query
 * (`code`, `state`). Throws with the response when a step answers something unexpected.
 */
export async function authorize(
  browser: Browser,
  options: { client_id: string; pkce: Pkce; email: string; password: string },
): Promise<URLSearchParams> {
  let res = await browser.get(authorizeUrl(options));
  for (let step = 0; step < 8; step++) {
    const location = res.headers.location;
    if (res.statusCode === 200) {
      const csrf = csrfOf(res.body);
      const action = /<form method="post" action="([^"]+)"/.exec(res.body)?.[1] ?? '';
      res = action.endsWith('/login')
        ? await browser.postForm(action, { csrf, email: options.email, password: options.password })
        : await browser.postForm(action, { csrf, decision: 'allow' });
      continue;
    }
    if (typeof location !== 'string' || res.statusCode < 300 || res.statusCode >= 400) break;
    if (location.startsWith(REDIRECT_URI)) return new URL(location).searchParams;
    res = await browser.get(location);
  }
  throw new Error(`authorization did not finish: ${res.statusCode} ${res.body.slice(0, 300)}`);
}

/** `POST /v1/oauth/token`, form-encoded, as HeyGen's clients send it. */
export function tokenRequest(app: TestServer, form: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/v1/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

export function revokeRequest(app: TestServer, form: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/v1/oauth/revoke',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

/** The client `accessTokenFor` signs in through (created on first use in each test context). */
export const ACCESS_TOKEN_CLIENT_ID = 'tollgate-test-bearer';

/**
 * Argon2 is slow (tens of milliseconds per hash), so `TEST_PASSWORD` is hashed once per test file
 * (vitest isolates modules per file) and every `accessTokenFor` user reuses the hash.
 */
let testPasswordHash: Promise<string> | undefined;

/**
 * Bearer headers of a real OAuth access token for `customer`'s account: creates a user of the
 * account (email `options.email`, default derived from the account id) and walks the real
 * authorize → sign-in → consent → code + PKCE token exchange through `app`. Call it once per
 * customer per test (the user is new each time).
 */
export async function accessTokenFor(
  app: TestServer,
  ctx: AppContext,
  customer: Customer,
  options: { email?: string } = {},
): Promise<Record<string, string>> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const password_hash = await testPasswordHash;
  const email = options.email ?? `user.${customer.account_id.toLowerCase()}@example.com`;
  await withTransaction(ctx, async (tx) => {
    const client = await tx.db
      .selectFrom('oauth_clients')
      .select('id')
      .where('id', '=', ACCESS_TOKEN_CLIENT_ID)
      .executeTakeFirst();
    if (client === undefined) {
      await createOAuthClient(tx, {
        name: 'Tollgate test client',
        client_type: 'public',
        redirect_uris: [REDIRECT_URI],
        client_id: ACCESS_TOKEN_CLIENT_ID,
      });
    }
    await insertUser(tx, { account_id: customer.account_id, email, password_hash, name: null });
  });
  const pkce = newPkce();
  const query = await authorize(createBrowser(app), {
    client_id: ACCESS_TOKEN_CLIENT_ID,
    pkce,
    email,
    password: TEST_PASSWORD,
  });
  const res = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code: query.get('code') ?? '',
    client_id: ACCESS_TOKEN_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier,
  });
  const access_token: unknown = res.json().access_token;
  if (res.statusCode !== 200 || typeof access_token !== 'string') {
    throw new Error(`token exchange failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
  return { authorization: `Bearer ${access_token}` };
}
