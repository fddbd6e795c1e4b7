/**
 * Authentication hooks. The customer API takes HeyGen's two schemes: `x-api-key` (an API key) or
 * `Authorization: Bearer <OAuth access token>` (a token from `/v1/oauth/token`, acting for its
 * user's account); the operator API takes `Authorization: Bearer <operator token>`. A request with
 * neither header may be authenticated by the dashboard's session cookie (`dashboard-session.ts`,
 * CSRF-checked on writes): on the customer API only for the routes `SESSION_ROUTE_PREFIXES` names
 * (no job is submitted from a browser session), on the operator API with an operator session. Each sets
 * `request.principal` once, or answers 401 `authentication_failed` in HeyGen's envelope.
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { authenticateApiKey } from '../auth/api-keys.ts';
import { verifyOperatorToken } from '../auth/operator-token.ts';
import type { Principal } from '../auth/principal.ts';
import type { Credential } from '../billing/pools.ts';
import type { AppContext } from '../context.ts';
import { authenticateAccessToken } from '../oauth/access-tokens.ts';
import { assert } from '../shared/assert.ts';
import { hasHeaderCredential, sessionOf } from './dashboard-session.ts';
import { httpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function bearerToken(request: FastifyRequest): string | null {
  const value = header(request, 'authorization');
  const match = value === null ? null : /^Bearer\s+(\S+)$/i.exec(value);
  return match?.[1] ?? null;
}

/**
 * Customer routes a dashboard session may call: the profile, webhook endpoints and their events,
 * billing, and the dashboard's own. None of them admits a job.
 */
const SESSION_ROUTE_PREFIXES = ['/v3/users/me', '/v3/webhooks/', '/billing/v1/', '/dashboard/v1/'];

function sessionMayCall(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? '';
  return SESSION_ROUTE_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** The customer hook: a dashboard session (cookie, no header), an API key, or an OAuth token. */
export function apiKeyAuth(ctx: AppContext): onRequestHookHandler {
  return async (request) => {
    if (!hasHeaderCredential(request) && sessionMayCall(request)) {
      const found = await sessionOf(ctx, request);
      if (found !== null && found.session.kind === 'customer') {
        const { session } = found;
        request.principal = {
          kind: 'session',
          account_id: session.account_id!,
          user_id: session.user_id!,
          session_id: session.id,
        };
        return;
      }
    }
    const key = header(request, 'x-api-key');
    const token = key === null ? bearerToken(request) : null;
    if (key === null && token === null) {
      throw httpError(
        'authentication_failed',
        'Missing credentials. Send your API key in the x-api-key header, or an OAuth access token as Authorization: Bearer <token>.',
      );
    }
    request.principal =
      key !== null ? await apiKeyPrincipal(ctx, key) : await accessTokenPrincipal(ctx, token!);
  };
}

async function apiKeyPrincipal(ctx: AppContext, key: string): Promise<Principal> {
  const apiKey = await authenticateApiKey(ctx, key);
  if (apiKey === null) {
    throw httpError(
      'authentication_failed',
      'Invalid or revoked API key. Verify your x-api-key header.',
    );
  }
  return { kind: 'api_key', account_id: apiKey.account_id, api_key_id: apiKey.id };
}

async function accessTokenPrincipal(ctx: AppContext, token: string): Promise<Principal> {
  const found = await authenticateAccessToken(ctx, token);
  if (found === null) {
    throw httpError(
      'authentication_failed',
      'Invalid, expired or revoked access token. Refresh it or sign in again.',
    );
  }
  return { kind: 'oauth', ...found };
}

export function operatorAuth(ctx: AppContext): onRequestHookHandler {
  return async (request) => {
    if (!hasHeaderCredential(request)) {
      const found = await sessionOf(ctx, request);
      if (found !== null && found.session.kind === 'operator') {
        request.principal = { kind: 'operator' };
        return;
      }
    }
    const token = bearerToken(request);
    if (token === null || !(await verifyOperatorToken(ctx, token))) {
      throw httpError(
        'authentication_failed',
        'Invalid or missing operator token. Send Authorization: Bearer <operator token>.',
      );
    }
    request.principal = { kind: 'operator' };
  };
}

/** The calling customer's account id; only for routes behind `apiKeyAuth` (key or token). */
export function accountIdOf(request: FastifyRequest): string {
  return payerOf(request).account_id;
}

/**
 * The calling customer's account and credential, for an admission (the credential chooses the
 * billing pool: `billing/pools.ts`); only for routes behind `apiKeyAuth`. A dashboard session
 * has no credential of its own: it sees the account's own pool (its billing type), and may not
 * admit jobs (`sessionMayCall`).
 */
export function payerOf(request: FastifyRequest): {
  account_id: string;
  credential: Credential | null;
} {
  const principal = request.principal;
  assert(
    principal !== null && principal.kind !== 'operator',
    'route behind apiKeyAuth has a customer principal',
  );
  switch (principal.kind) {
    case 'api_key':
      return {
        account_id: principal.account_id,
        credential: { kind: 'api_key', api_key_id: principal.api_key_id },
      };
    case 'oauth':
      return {
        account_id: principal.account_id,
        credential: { kind: 'oauth', user_id: principal.user_id, client_id: principal.client_id },
      };
    case 'session':
      return { account_id: principal.account_id, credential: null };
  }
}
