/**
 * The OAuth authorization server on HTTP. `oidc-provider` is a Koa application: its endpoints
 * (`/oauth/authorize`, `POST /v1/oauth/token`, `POST /v1/oauth/revoke`, `/oauth/jwks`,
 * `/oauth/userinfo`, `/.well-known/openid-configuration`) get the raw Node request, unparsed, in
 * a scope with no body parser; its answers are OAuth's own (RFC 6749 JSON errors on the token
 * and revocation endpoints, which OAuth clients parse). Sign-in and consent are ours
 * (`oauth-interaction.ts`). These routes are outside both authenticated scopes and not in the
 * OpenAPI document (they are OAuth's, described in the README). The provider is built on the
 * first OAuth request (it reads its keys from the database), so the gateway starts, and reports
 * readiness, while the database is down.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createOAuthServer, type OAuthServer } from '../../oauth/provider.ts';
import type { RouteOptions } from '../server.ts';
import { oauthInteractionRoutes } from './oauth-interaction.ts';

export const oauthRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  let building: Promise<
    OAuthServer & { handle: ReturnType<OAuthServer['provider']['callback']> }
  > | null = null;
  const serverOf = () => {
    building ??= createOAuthServer(ctx).then(
      (server) => ({ ...server, handle: server.provider.callback() }),
      (err: unknown) => {
        building = null;
        throw err;
      },
    );
    return building;
  };
  app.register(async (scope) => {
    // The provider reads and parses its own bodies.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      const { handle } = await serverOf();
      reply.hijack();
      await handle(request.raw, reply.raw);
    };
    const options = { schema: { hide: true } };
    scope.all('/oauth/*', options, forward);
    scope.all('/v1/oauth/*', options, forward);
    scope.get('/.well-known/openid-configuration', options, forward);
  });
  app.register(oauthInteractionRoutes, { ctx, serverOf });
};
