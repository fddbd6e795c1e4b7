/**
 * The OAuth 2.0 authorization server: `oidc-provider` (OpenID Certified) configured for HeyGen's
 * client flow (API.md §14): authorization code with PKCE (S256 only, required for every client),
 * opaque access tokens (looked up on every use, so revocation is immediate), rotating refresh
 * tokens issued with every code, and revocation. Its paths are HeyGen's: `/oauth/authorize`,
 * `POST /v1/oauth/token`, `POST /v1/oauth/revoke`; sign-in and consent are our own pages at
 * `/oauth/interaction/{uid}` (`http/routes/oauth-interaction.ts`). The issuer is
 * `TOLLGATE_PUBLIC_URL`; storage, clients and keys are in our database (`storage.ts`, `keys.ts`).
 * A token's subject is a user id (`users/`); its account is the user's account.
 */
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { BaseContext } from '../context.ts';
import { escapeHtml } from '../shared/html.ts';
import { findUser } from '../users/users.ts';
import { ensureOAuthKeys } from './keys.ts';
import { createStorageAdapter } from './storage.ts';

export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/v1/oauth/token',
  revocation: '/v1/oauth/revoke',
  jwks: '/oauth/jwks',
  userinfo: '/oauth/userinfo',
  end_session: '/oauth/session/end',
} as const;
export const OAUTH_INTERACTION_PATH = '/oauth/interaction';
export const OAUTH_SCOPES = ['openid', 'offline_access', 'profile', 'email'] as const;

/** Access tokens live one hour; clients refresh with the rotating refresh token. */
export const ACCESS_TOKEN_TTL_S = 60 * 60;
export const AUTHORIZATION_CODE_TTL_S = 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 60 * 60;
const SESSION_TTL_S = 14 * 24 * 60 * 60;
const INTERACTION_TTL_S = 60 * 60;
const GRANT_TTL_S = REFRESH_TOKEN_TTL_S;

export type OAuthServer = { provider: Provider; cookie_keys: string[] };

/** Builds the provider over `ctx`'s database (generating its keys on the first start). */
export async function createOAuthServer(ctx: BaseContext): Promise<OAuthServer> {
  const keys = await ensureOAuthKeys(ctx);
  const configuration: Configuration = {
    adapter: createStorageAdapter(ctx),
    findAccount: async (_koa: KoaContextWithOIDC, sub: string) => {
      const user = await findUser(ctx, sub);
      if (user === null) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, name: user.name ?? undefined }),
      };
    },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    scopes: [...OAUTH_SCOPES],
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      dPoP: { enabled: false },
    },
    routes: OAUTH_ROUTES,
    interactions: {
      url: async (_koa, interaction) => `${OAUTH_INTERACTION_PATH}/${interaction.uid}`,
    },
    cookies: { keys: keys.cookie_keys },
    jwks: keys.jwks as Configuration['jwks'],
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_S,
      IdToken: ACCESS_TOKEN_TTL_S,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_S,
      RefreshToken: REFRESH_TOKEN_TTL_S,
      Session: SESSION_TTL_S,
      Interaction: INTERACTION_TTL_S,
      Grant: GRANT_TTL_S,
    },
    // HeyGen's clients ask for `openid profile email`, not `offline_access`, and expect a
    // refresh token: every code exchange issues one; every refresh rotates it.
    issueRefreshToken: async (_koa, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    renderError: async (koa, out) => {
      koa.type = 'html';
      koa.body = renderErrorPage(out);
    },
  };
  const provider = new Provider(ctx.config.public_url, configuration);
  provider.on('server_error', (_koa: unknown, err: unknown) => {
    ctx.log.error({ err }, 'OAuth authorization server error');
  });
  return { provider, cookie_keys: keys.cookie_keys };
}

function renderErrorPage(out: object): string {
  const lines = Object.entries(out)
    .map(
      ([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</p>`,
    )
    .join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>The request could not be completed</h1>${lines}</body></html>`;
}
