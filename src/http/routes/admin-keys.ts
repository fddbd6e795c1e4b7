/**
 * API keys of customer accounts: create (the secret is in this one response only), list without
 * secrets (each with its spending limit, `admin-billing.ts`, and its spending in the limit's
 * current window), and revoke (`DELETE /admin/v1/api-keys/{key_id}`, repeatable). A create retried under
 * its `Idempotency-Key` replays the key's metadata without the secret (which is never stored)
 * and says so with `secret_shown_once: true`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createApiKey, revokeApiKey } from '../../auth/api-keys.ts';
import { withTransaction } from '../../context.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import {
  AccountIdParams,
  CreateApiKeyBody,
  KeyIdParams,
  renderApiKey,
  renderNewApiKey,
} from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import { ApiKeyBody, ApiKeyCreated, ApiKeyList } from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';
import { renderApiKeyList } from './api-key-list.ts';

const SECRET_SHOWN_ONCE_MESSAGE =
  'This is a replay: the secret key was shown only in the first response and is not stored. ' +
  'If it was lost, revoke this key and create a new one.';

export const adminKeyRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/accounts/:account_id/api-keys',
    {
      schema: { params: AccountIdParams, body: CreateApiKeyBody, response: ok(ApiKeyCreated) },
      // Every field is optional, so a bare POST (no body at all) means `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const input = { account_id: request.params.account_id, name: request.body.name ?? null };
      return idempotentWrite(ctx, request, {
        write: (tx) => createApiKey(tx, input),
        render: (key) => ({ data: renderNewApiKey(key) }),
        renderReplay: (key) => ({
          data: { ...renderApiKey(key), secret_shown_once: true },
          message: SECRET_SHOWN_ONCE_MESSAGE,
        }),
      });
    },
  );

  app.get(
    '/accounts/:account_id/api-keys',
    { schema: { params: AccountIdParams, response: ok(ApiKeyList) } },
    async (request) => {
      return renderApiKeyList(ctx, request.params.account_id);
    },
  );

  app.delete(
    '/api-keys/:key_id',
    { schema: { params: KeyIdParams, response: ok(ApiKeyBody) } },
    async (request) => {
      const key = await withTransaction(ctx, (tx) => revokeApiKey(tx, request.params.key_id));
      return { data: renderApiKey(key) };
    },
  );
};
