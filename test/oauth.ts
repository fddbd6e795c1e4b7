/**
 * An OAuth client driving Tollgate's authorization server through `inject()` as a browser and a
 * HeyGen-style client would: a cookie jar, PKCE (S256), the authorize → sign-in → consent →
 * redirect walk, and the form-encoded token and revocation requests of API.md §14.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../src/context.ts';
import { withTransaction } from '../src/context.ts';
import { createOAuthClient } from '../src/oauth/clients.ts';
import type { TestServer } from './server-fixture.ts';

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
