/**
 * Dashboard sessions (outside both authenticated scopes): `POST /dashboard/v1/operator-sessions`
 * trades the operator token, entered once, for an operator session cookie; `GET
 * /dashboard/v1/session` says who the cookie signs in and gives the CSRF token every write must
 * carry; `DELETE /dashboard/v1/session` signs out (CSRF-checked) and clears the cookie. Customer
 * sign-in with an account user's email and password is `dashboard-sign-in.ts`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { verifyOperatorToken } from '../../auth/operator-token.ts';
import type { AppContext } from '../../context.ts';
import { getPreferences, TIME_ZONE_DEFAULT } from '../../dashboard/preferences.ts';
import {
  createSession,
  csrfTokenOf,
  type DashboardSession,
  deleteSession,
} from '../../dashboard/sessions.ts';
import { clearSessionCookie, sessionOf, setSessionCookie } from '../dashboard-session.ts';
import { httpError } from '../errors.ts';
import { dataOf, Nullable, ok } from '../schemas/envelope.ts';
import { isoOf } from '../schemas/render.ts';
import type { RouteOptions } from '../server.ts';

export const SessionBody = dataOf(
  Type.Object({
    id: Type.String(),
    kind: Type.Union([Type.Literal('customer'), Type.Literal('operator')]),
    account_id: Nullable(Type.String()),
    user_id: Nullable(Type.String()),
    csrf_token: Type.String({ description: 'Send as `x-csrf-token` on every write.' }),
    time_zone: Type.String({ description: "The account's time zone (UTC for the operator)." }),
    expires_at: Type.String({ format: 'date-time' }),
  }),
);

/** The session as the page sees it: who it is, its CSRF token and the account's time zone. */
export async function renderSession(ctx: AppContext, session: DashboardSession, secret: string) {
  const time_zone =
    session.account_id === null
      ? TIME_ZONE_DEFAULT
      : (await getPreferences(ctx.db, session.account_id)).time_zone;
  return {
    id: session.id,
    kind: session.kind,
    account_id: session.account_id,
    user_id: session.user_id,
    csrf_token: csrfTokenOf(secret),
    time_zone,
    expires_at: isoOf(session.expires_at_ms),
  };
}

const OperatorSignIn = Type.Object(
  { operator_token: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

export const dashboardSessionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  app.post(
    '/dashboard/v1/operator-sessions',
    { schema: { body: OperatorSignIn, response: ok(SessionBody) } },
    async (request, reply) => {
      if (!(await verifyOperatorToken(ctx, request.body.operator_token))) {
        throw httpError('authentication_failed', 'That is not the operator token.', {
          param: 'operator_token',
        });
      }
      const { session, secret } = await createSession(ctx, { kind: 'operator' });
      setSessionCookie(reply, { secret, public_url: ctx.config.public_url });
      return { data: await renderSession(ctx, session, secret) };
    },
  );

  app.get(
    '/dashboard/v1/session',
    { schema: { security: [{ session_cookie: [] }], response: ok(SessionBody) } },
    async (request) => {
      const found = await sessionOf(ctx, request);
      if (found === null) throw httpError('authentication_failed', 'Not signed in.');
      return { data: await renderSession(ctx, found.session, found.secret) };
    },
  );

  app.delete(
    '/dashboard/v1/session',
    {
      schema: {
        security: [{ session_cookie: [] }],
        response: ok(dataOf(Type.Object({ signed_out: Type.Literal(true) }))),
      },
    },
    async (request, reply) => {
      const found = await sessionOf(ctx, request);
      if (found !== null) await deleteSession(ctx, found.secret);
      clearSessionCookie(reply, ctx.config.public_url);
      return { data: { signed_out: true as const } };
    },
  );
};
