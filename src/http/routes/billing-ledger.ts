/**
 * `GET /billing/v1/ledger`: the calling account's wallet history, newest first and paginated like
 * HeyGen's lists: grants, holds (with their status: pending, posted, voided or expired),
 * settlements and releases, each with its job id in `reference`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listWalletHistory } from '../../wallets/history.ts';
import { accountIdOf } from '../auth-hook.ts';
import { decodePageToken, pageQuerySchema, renderPage } from '../pagination.ts';
import { ok } from '../schemas/envelope.ts';
import { WalletEntryPage } from '../schemas/tollgate-responses.ts';
import { renderWalletEntry } from '../schemas/wallet.ts';
import type { RouteOptions } from '../server.ts';

const LEDGER_PAGE_SIZE_DEFAULT = 20;

export const billingLedgerRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  const querystring = pageQuerySchema(LEDGER_PAGE_SIZE_DEFAULT, ctx.config.limits.page_size_max);
  app.get(
    '/billing/v1/ledger',
    { schema: { querystring, response: ok(WalletEntryPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const after = decodePageToken(token);
      const rows = await listWalletHistory(ctx, { account_id: accountIdOf(request), limit, after });
      return renderPage(rows, limit, renderWalletEntry);
    },
  );
};
