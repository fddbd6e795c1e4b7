/**
 * `POST /dashboard/v1/sessions`: an account user signs in to the dashboard with email and
 * password (`users/sign-in.ts`: rate-limited per email and per client address, 429
 * `too_many_sign_in_attempts` past it). On success the browser gets the session cookie
 * (`dashboard-session.ts`) and the session with its CSRF token; a wrong email or password is one
 * 401 that does not say which was wrong.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createSession } from '../../dashboard/sessions.ts';
import { authenticateUser } from '../../users/sign-in.ts';
import { setSessionCookie } from '../dashboard-session.ts';
import { httpError } from '../errors.ts';
import { ok } from '../schemas/envelope.ts';
import type { RouteOptions } from '../server.ts';
import { renderSession, SessionBody } from './dashboard-sessions.ts';

const CustomerSignIn = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const dashboardSignInRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  app.post(
    '/dashboard/v1/sessions',
    { schema: { body: CustomerSignIn, response: ok(SessionBody) } },
    async (request, reply) => {
      const user = await authenticateUser(ctx, { ...request.body, ip_address: request.ip });
      if (user === null) {
        throw httpError('authentication_failed', 'Wrong email or password.', { param: 'email' });
      }
      const { session, secret } = await createSession(ctx, { kind: 'customer', ...user });
      setSessionCookie(reply, { secret, public_url: ctx.config.public_url });
      return { data: await renderSession(ctx, session, secret) };
    },
  );
};
