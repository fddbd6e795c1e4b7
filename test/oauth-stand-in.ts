/**
 * A TEST-ONLY stand-in for OAuth bearer auth, until the oauth work's bearer hook is merged: a
 * request authenticated with an API key and carrying `x-test-oauth-user` is turned, before its
 * handler runs, into an OAuth principal of the same account (`user_id` from the header, client
 * `test_client`). It lets the web-plan tests drive `/v3` routes (users/me, videos) as an OAuth
 * caller through `inject()`; the production server has no such hook. Replace with real access
 * tokens once `src/oauth/` is on main.
 */
import type { FastifyInstance } from 'fastify';
import type { Customer } from './customers.ts';

export const TEST_OAUTH_USER_HEADER = 'x-test-oauth-user';

/** Adds the stand-in to `app` (before it is ready). */
export function allowTestOAuth(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const user_id = request.headers[TEST_OAUTH_USER_HEADER];
    const principal = request.principal;
    if (typeof user_id !== 'string' || principal?.kind !== 'api_key') return;
    request.principal = {
      kind: 'oauth',
      account_id: principal.account_id,
      user_id,
      client_id: 'test_client',
    };
  });
}

/** Headers that make `customer`'s request an OAuth caller's under the stand-in. */
export function oauthHeaders(customer: Customer): Record<string, string> {
  return { ...customer.headers, [TEST_OAUTH_USER_HEADER]: 'user_test' };
}
