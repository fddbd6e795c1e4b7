/**
 * `POST /admin/v1/accounts/{account_id}/grants`: credit a wallet with a paid top-up or a
 * promotional credit. The amount is a decimal USD string converted exactly to micro-USD (no
 * rounding: "0.0000001" is refused). Retries are safe with an `Idempotency-Key`, whose response is
 * recorded in the grant's own transaction (`idempotent-write.ts`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseUsdToMicroUsd } from '../../shared/money.ts';
import { grantToAccount } from '../../wallets/grants.ts';
import { httpError } from '../errors.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { AccountIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import { GrantCreated } from '../schemas/tollgate-responses.ts';
import { CreateGrantBody, renderBalance, renderGrant } from '../schemas/wallet.ts';
import type { RouteOptions } from '../server.ts';

export const adminGrantRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/accounts/:account_id/grants',
    { schema: { params: AccountIdParams, body: CreateGrantBody, response: ok(GrantCreated) } },
    async (request) => {
      const { amount_usd, kind, memo } = request.body;
      const amount_micro_usd = parseUsdToMicroUsd(amount_usd);
      if (amount_micro_usd === null) {
        throw httpError(
          'invalid_parameter',
          'amount_usd must be a decimal string of USD exact to the micro-dollar, such as "100.00".',
          { param: 'amount_usd' },
        );
      }
      const input = { account_id: request.params.account_id, kind, amount_micro_usd, memo };
      return idempotentWrite(ctx, request, {
        write: (tx) => grantToAccount(tx, input),
        render: ({ grant, balance }) => ({
          data: { ...renderGrant(grant), wallet: renderBalance(balance) },
        }),
      });
    },
  );
};
