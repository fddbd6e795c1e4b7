/**
 * The operator's billing settings of an account and per-key spending limits:
 * - `GET/PATCH /admin/v1/accounts/{id}/billing`: the billing type (`wallet` | `usage_based`), the
 *   spending cap per period of a usage-based account (`spending_cap_usd`, null removes it) and
 *   the account's time zone, with the current period's spending;
 * - `GET /admin/v1/accounts/{id}/statements[/{period}]`: the account's statements, as the
 *   customer sees them (JSON or CSV);
 * - `PUT/DELETE /admin/v1/api-keys/{key_id}/spending-limit`: a key's limit per day or month.
 * Each is schema → one domain call → rendering.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withTransaction } from '../../context.ts';
import {
  listKeySpendingLimits,
  removeKeySpendingLimit,
  setKeySpendingLimit,
} from '../../key-limits/limits.ts';
import { getBillingSummary, updateBillingSettings } from '../../usage-based/settings.ts';
import { getStatement, listStatements } from '../../usage-based/statements.ts';
import { AccountIdParams, KeyIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import {
  AccountStatementParams,
  BillingSettingsBody,
  parseUsdParam,
  renderBillingSummary,
  renderSpendingLimit,
  renderStatementPage,
  SetSpendingLimitBody,
  SpendingLimitBody,
  StatementPage,
  statementListQuery,
  UpdateBillingBody,
} from '../schemas/usage-based.ts';
import type { RouteOptions } from '../server.ts';
import { sendStatement, statementSchema } from './statements.ts';

export const adminBillingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/accounts/:account_id/billing',
    { schema: { params: AccountIdParams, response: ok(BillingSettingsBody) } },
    async (request) => ({
      data: renderBillingSummary(await getBillingSummary(ctx, request.params.account_id)),
    }),
  );

  app.patch(
    '/accounts/:account_id/billing',
    {
      schema: {
        params: AccountIdParams,
        body: UpdateBillingBody,
        response: ok(BillingSettingsBody),
      },
    },
    async (request) => {
      const { spending_cap_usd, ...rest } = request.body;
      const spending_cap_micro_usd =
        spending_cap_usd == null
          ? spending_cap_usd
          : parseUsdParam(spending_cap_usd, 'spending_cap_usd');
      const update = { account_id: request.params.account_id, ...rest, spending_cap_micro_usd };
      const summary = await withTransaction(ctx, (tx) => updateBillingSettings(tx, update));
      return { data: renderBillingSummary(summary) };
    },
  );

  const listQuery = statementListQuery(ctx.config.limits.page_size_max);
  app.get(
    '/accounts/:account_id/statements',
    { schema: { params: AccountIdParams, querystring: listQuery, response: ok(StatementPage) } },
    async (request) => {
      const page = await listStatements(ctx, {
        account_id: request.params.account_id,
        limit: request.query.limit,
        from: request.query.token ?? null,
      });
      return renderStatementPage(page);
    },
  );

  const schema = statementSchema();
  app.get(
    '/accounts/:account_id/statements/:period',
    { schema: { ...schema, params: AccountStatementParams } },
    async (request, reply) => {
      const { account_id, period } = request.params;
      const statement = await getStatement(ctx, { account_id, period });
      return sendStatement(request, reply, statement, request.query.format);
    },
  );

  app.put(
    '/api-keys/:key_id/spending-limit',
    {
      schema: { params: KeyIdParams, body: SetSpendingLimitBody, response: ok(SpendingLimitBody) },
    },
    async (request) => {
      const api_key_id = request.params.key_id;
      const amount_micro_usd = parseUsdParam(request.body.amount_usd, 'amount_usd');
      const input = { api_key_id, window: request.body.window, amount_micro_usd };
      const limit = await withTransaction(ctx, (tx) => setKeySpendingLimit(tx, input));
      const limits = await listKeySpendingLimits(ctx, limit.account_id);
      return { data: { api_key_id, spending_limit: renderSpendingLimit(limits.get(api_key_id)) } };
    },
  );

  app.delete(
    '/api-keys/:key_id/spending-limit',
    { schema: { params: KeyIdParams, response: ok(SpendingLimitBody) } },
    async (request) => {
      const api_key_id = request.params.key_id;
      await withTransaction(ctx, (tx) => removeKeySpendingLimit(tx, api_key_id));
      return { data: { api_key_id, spending_limit: null } };
    },
  );
};
