/**
 * Users of customer accounts: `POST /admin/v1/accounts/{account_id}/users` creates one (email,
 * password, optional name; the password is hashed before the transaction and never returned),
 * `GET` lists them. A create retried under its `Idempotency-Key` replays the same user.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { insertUser, listUsers, prepareUser } from '../../users/users.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { CreateUserBody, renderUser, UserBody, UserList } from '../schemas/account-users.ts';
import { AccountIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import type { RouteOptions } from '../server.ts';

export const adminUserRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/accounts/:account_id/users',
    { schema: { params: AccountIdParams, body: CreateUserBody, response: ok(UserBody) } },
    async (request) => {
      const prepared = await prepareUser({
        account_id: request.params.account_id,
        ...request.body,
      });
      return idempotentWrite(ctx, request, {
        write: (tx) => insertUser(tx, prepared),
        render: (user) => ({ data: renderUser(user) }),
      });
    },
  );

  app.get(
    '/accounts/:account_id/users',
    { schema: { params: AccountIdParams, response: ok(UserList) } },
    async (request) => {
      const users = await listUsers(ctx, request.params.account_id);
      return { data: users.map(renderUser) };
    },
  );
};
