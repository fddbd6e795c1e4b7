/**
 * Sign-in and consent of the authorization server (`/oauth/interaction/{uid}`, where
 * `oidc-provider` sends the browser): the page for the pending prompt, then its form posts.
 * Sign-in goes through `authenticateUser` (rate-limited per email and client address); consent
 * grants the scopes the client asked for, or denies (`access_denied` to the client). Each form
 * carries a CSRF token bound to the interaction (an HMAC of its uid with the cookie key), and the
 * interaction itself is bound to the browser by the provider's signed cookie.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction, InteractionResults } from 'oidc-provider';
import { Type } from 'typebox';
import { findOAuthClientRow } from '../../oauth/clients.ts';
import { OAUTH_INTERACTION_PATH, type OAuthServer } from '../../oauth/provider.ts';
import { DomainError } from '../../shared/errors.ts';
import { authenticateUser } from '../../users/sign-in.ts';
import { findUser } from '../../users/users.ts';
import { PAGE_HEADERS, renderConsentPage, renderSignInPage } from '../oauth-pages.ts';
import type { RouteOptions } from '../server.ts';

type Options = RouteOptions & { serverOf: () => Promise<OAuthServer> };

const UidParams = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 64 }) });
const SignInBody = Type.Object({
  csrf: Type.String({ maxLength: 128 }),
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 1_024 }),
});
const ConsentBody = Type.Object({
  csrf: Type.String({ maxLength: 128 }),
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
});

const FORGED_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Form expired</title></head><body>' +
  '<h1>This form is no longer valid</h1><p>Reload the page and try again.</p></body></html>';
const EXPIRED_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign-in expired</title></head><body>' +
  '<h1>This sign-in request has expired</h1><p>Start again from the application.</p></body></html>';

export const oauthInteractionRoutes: FastifyPluginAsyncTypebox<Options> = async (
  app,
  { ctx, serverOf },
) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const csrfOf = async (uid: string) =>
    createHmac('sha256', (await serverOf()).cookie_keys[0] ?? '')
      .update(`csrf:${uid}`)
      .digest('base64url');
  const csrfValid = async (uid: string, given: string) => {
    const expected = Buffer.from(await csrfOf(uid));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };

  /** The interaction this browser is in, if it is the one in the path; else null. */
  async function interactionOf(
    request: FastifyRequest,
    reply: FastifyReply,
    uid: string,
  ): Promise<Interaction | null> {
    try {
      const { provider } = await serverOf();
      const details = await provider.interactionDetails(request.raw, reply.raw);
      return details.uid === uid ? details : null;
    } catch {
      return null;
    }
  }

  const sendPage = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).headers(PAGE_HEADERS).send(html);

  async function showPrompt(
    reply: FastifyReply,
    details: Interaction,
    failure: { status: number; error: string; email: string } | null = null,
  ) {
    const client = await findOAuthClientRow(ctx, String(details.params.client_id));
    const client_name = client?.name ?? 'An application';
    const action = `${OAUTH_INTERACTION_PATH}/${details.uid}`;
    const csrf = await csrfOf(details.uid);
    if (details.prompt.name === 'login') {
      const view = { action: `${action}/login`, csrf, client_name };
      const shown = { email: failure?.email ?? '', error: failure?.error ?? null };
      return sendPage(reply, failure?.status ?? 200, renderSignInPage({ ...view, ...shown }));
    }
    const user = await findUser(ctx, details.session?.accountId ?? '');
    const scopes = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    const user_email = user?.email ?? '';
    const view = { action: `${action}/consent`, csrf, client_name, user_email, scopes };
    return sendPage(reply, 200, renderConsentPage(view));
  }

  const finish = async (
    request: FastifyRequest,
    reply: FastifyReply,
    result: InteractionResults,
  ) => {
    const { provider } = await serverOf();
    const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
      mergeWithLastSubmission: true,
    });
    return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
  };

  app.get(
    `${OAUTH_INTERACTION_PATH}/:uid`,
    { schema: { hide: true, params: UidParams } },
    async (request, reply) => {
      const details = await interactionOf(request, reply, request.params.uid);
      if (details === null) return sendPage(reply, 400, EXPIRED_PAGE);
      return showPrompt(reply, details);
    },
  );

  app.post(
    `${OAUTH_INTERACTION_PATH}/:uid/login`,
    { schema: { hide: true, params: UidParams, body: SignInBody } },
    async (request, reply) => {
      const details = await interactionOf(request, reply, request.params.uid);
      if (details === null || details.prompt.name !== 'login') {
        return sendPage(reply, 400, EXPIRED_PAGE);
      }
      if (!(await csrfValid(details.uid, request.body.csrf)))
        return sendPage(reply, 403, FORGED_PAGE);
      const { email, password } = request.body;
      try {
        const signedIn = await authenticateUser(ctx, { email, password, ip_address: request.ip });
        if (signedIn === null) {
          const error = 'Wrong email or password.';
          return showPrompt(reply, details, { status: 401, error, email });
        }
        return finish(request, reply, { login: { accountId: signedIn.user_id } });
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'too_many_sign_in_attempts') throw err;
        void reply.header('retry-after', String(err.details?.retry_after_s ?? 60));
        return showPrompt(reply, details, { status: 429, error: err.message, email });
      }
    },
  );

  app.post(
    `${OAUTH_INTERACTION_PATH}/:uid/consent`,
    { schema: { hide: true, params: UidParams, body: ConsentBody } },
    async (request, reply) => {
      const details = await interactionOf(request, reply, request.params.uid);
      if (details === null || details.prompt.name !== 'consent') {
        return sendPage(reply, 400, EXPIRED_PAGE);
      }
      if (!(await csrfValid(details.uid, request.body.csrf)))
        return sendPage(reply, 403, FORGED_PAGE);
      if (request.body.decision === 'deny') {
        const error_description = 'The user denied access.';
        return finish(request, reply, { error: 'access_denied', error_description });
      }
      return finish(request, reply, { consent: { grantId: await saveGrant(details) } });
    },
  );

  /** Grants what the pending consent prompt is missing, on the interaction's grant or a new one. */
  async function saveGrant(details: Interaction): Promise<string> {
    const { provider } = await serverOf();
    const accountId = details.session?.accountId ?? '';
    const clientId = String(details.params.client_id);
    const grant =
      (details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId)) ??
      new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    return grant.save();
  }
};
