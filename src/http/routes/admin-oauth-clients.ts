/**
 * OAuth clients: `POST /admin/v1/oauth-clients` registers one (a confidential client's secret is
 * in this response only), `GET` lists them without secrets, `DELETE /admin/v1/oauth-clients/{id}`
 * removes one and ends its tokens at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withTransaction } from '../../context.ts';
import { createOAuthClient, deleteOAuthClient, listOAuthClients } from '../../oauth/clients.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { ok } from '../schemas/envelope.ts';
import {
  ClientIdParams,
  CreateOAuthClientBody,
  OAuthClientBody,
  OAuthClientCreated,
  OAuthClientList,
  renderOAuthClient,
} from '../schemas/oauth-clients.ts';
import type { RouteOptions } from '../server.ts';

export const adminOAuthClientRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  app.post(
    '/oauth-clients',
    { schema: { body: CreateOAuthClientBody, response: ok(OAuthClientCreated) } },
    async (request) =>
      idempotentWrite(ctx, request, {
        write: (tx) => createOAuthClient(tx, request.body),
        render: (client) => ({
          data: { ...renderOAuthClient(client), client_secret: client.client_secret },
        }),
        // A replay never repeats the secret.
        renderReplay: (client) => ({ data: { ...renderOAuthClient(client), client_secret: null } }),
      }),
  );

  app.get('/oauth-clients', { schema: { response: ok(OAuthClientList) } }, async () => {
    const clients = await listOAuthClients(ctx);
    return { data: clients.map(renderOAuthClient) };
  });

  app.delete(
    '/oauth-clients/:client_id',
    { schema: { params: ClientIdParams, response: ok(OAuthClientBody) } },
    async (request) => {
      const client = await withTransaction(ctx, (tx) =>
        deleteOAuthClient(tx, request.params.client_id),
      );
      return { data: renderOAuthClient(client) };
    },
  );
};
