/**
 * `/admin/v1/reports`: operator reports read from the ledger. `write-offs`: what settlements
 * could not collect because a wallet reached minus its overdraft limit, newest first, paginated.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatMicroUsd } from '../../shared/money.ts';
import { listWriteOffs, type WriteOff } from '../../wallets/write-offs.ts';
import { decodePageToken, pageQuerySchema, renderPage } from '../pagination.ts';
import { ok } from '../schemas/envelope.ts';
import { isoOf } from '../schemas/render.ts';
import { WriteOffPage } from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';

const WRITE_OFFS_PAGE_SIZE_DEFAULT = 20;

export function renderWriteOff(writeOff: WriteOff) {
  return {
    ...writeOff,
    amount_usd: formatMicroUsd(writeOff.amount_micro_usd),
    created_at: isoOf(writeOff.created_at_ms),
  };
}

export const adminReportRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const querystring = pageQuerySchema(
    WRITE_OFFS_PAGE_SIZE_DEFAULT,
    ctx.config.limits.page_size_max,
  );
  app.get(
    '/reports/write-offs',
    { schema: { querystring, response: ok(WriteOffPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const rows = await listWriteOffs(ctx.db, { limit, after: decodePageToken(token) });
      return renderPage(rows, limit, renderWriteOff);
    },
  );
};
