/**
 * `POST /billing/v1/top-ups {amount_usd}`: buy balance with Stripe Checkout; answers the pending
 * top-up and the `checkout_url` to send the customer to. The pending top-up and the Checkout
 * Session are made first (`openTopUp`, outside any transaction), then the session is attached in
 * the transaction that stores the response under the `Idempotency-Key`; a retry under the key gets
 * the same top-up and session (`payments/top-ups.ts`). `GET /billing/v1/top-ups` lists the
 * account's top-ups newest first; `GET /billing/v1/top-ups/{top_up_id}` shows one.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachCheckout, openTopUp } from '../../payments/top-ups.ts';
import { getTopUp, listTopUps } from '../../payments/top-ups-read.ts';
import { parseUsdToMicroUsd } from '../../shared/money.ts';
import { accountIdOf } from '../auth-hook.ts';
import { httpError } from '../errors.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, pageQuerySchema, renderPage } from '../pagination.ts';
import { ok } from '../schemas/envelope.ts';
import { TopUpBody, TopUpPage } from '../schemas/tollgate-responses.ts';
import { CreateTopUpBody, renderTopUp, TopUpIdParams } from '../schemas/top-ups.ts';
import type { RouteOptions } from '../server.ts';

const TOP_UP_PAGE_SIZE_DEFAULT = 20;

function parseAmount(amount_usd: string | number): bigint {
  const text = typeof amount_usd === 'number' ? String(amount_usd) : amount_usd;
  const amount_micro_usd = parseUsdToMicroUsd(text);
  if (amount_micro_usd === null) {
    throw httpError(
      'invalid_parameter',
      'amount_usd must be a decimal amount of USD exact to the cent, such as "25.00".',
      { param: 'amount_usd' },
    );
  }
  return amount_micro_usd;
}

export const topUpRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/billing/v1/top-ups',
    { schema: { body: CreateTopUpBody, response: ok(TopUpBody, 200) } },
    async (request) => {
      const opened = await openTopUp(ctx, {
        account_id: accountIdOf(request),
        amount_micro_usd: parseAmount(request.body.amount_usd),
        idempotency: request.idempotency_key,
      });
      return idempotentWrite(ctx, request, {
        write: (tx) => attachCheckout(tx, opened),
        render: (row) => ({ data: renderTopUp(row) }),
      });
    },
  );

  const querystring = pageQuerySchema(TOP_UP_PAGE_SIZE_DEFAULT, ctx.config.limits.page_size_max);
  app.get(
    '/billing/v1/top-ups',
    { schema: { querystring, response: ok(TopUpPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const after = decodePageToken(token);
      const rows = await listTopUps(ctx.db, { account_id: accountIdOf(request), limit, after });
      return renderPage(rows, limit, renderTopUp);
    },
  );

  app.get(
    '/billing/v1/top-ups/:top_up_id',
    { schema: { params: TopUpIdParams, response: ok(TopUpBody) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), top_up_id: request.params.top_up_id };
      return { data: renderTopUp(await getTopUp(ctx.db, ref)) };
    },
  );
};
