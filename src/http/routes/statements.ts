/**
 * The customer's statements: `GET /billing/v1/statements` (one per month of the account's time
 * zone, newest first, from the current month back to the first usage-based month; `limit` and
 * `token` pages) and `GET /billing/v1/statements/{period}` (the month `YYYY-MM` with every
 * charge). A statement is JSON, or CSV (`text/csv`, through `csv-stringify`) with `?format=csv`
 * or `Accept: text/csv`; `?format=json` wins over the header.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { statementCsv } from '../../usage-based/statement-csv.ts';
import { getStatement, listStatements, type Statement } from '../../usage-based/statements.ts';
import { accountIdOf } from '../auth-hook.ts';
import { ok } from '../schemas/envelope.ts';
import {
  renderStatement,
  renderStatementPage,
  StatementBody,
  StatementPage,
  StatementParams,
  StatementQuery,
  statementListQuery,
} from '../schemas/usage-based.ts';
import type { RouteOptions } from '../server.ts';

export const statementRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const listQuery = statementListQuery(ctx.config.limits.page_size_max);
  app.get(
    '/billing/v1/statements',
    { schema: { querystring: listQuery, response: ok(StatementPage) } },
    async (request) => {
      const page = await listStatements(ctx, {
        account_id: accountIdOf(request),
        limit: request.query.limit,
        from: request.query.token ?? null,
      });
      return renderStatementPage(page);
    },
  );

  app.get(
    '/billing/v1/statements/:period',
    { schema: statementSchema() },
    async (request, reply) => {
      const statement = await getStatement(ctx, {
        account_id: accountIdOf(request),
        period: request.params.period,
      });
      return sendStatement(request, reply, statement, request.query.format);
    },
  );
};

/** The statement route's schema: JSON or CSV by `format` or `Accept`. */
export function statementSchema() {
  return {
    params: StatementParams,
    querystring: StatementQuery,
    description: 'JSON by default; CSV with `?format=csv` or `Accept: text/csv`.',
    response: {
      200: {
        description: 'The statement',
        content: {
          'application/json': { schema: ok(StatementBody)[200] },
          'text/csv': { schema: { type: 'string' } },
        },
      },
    },
  };
}

/** Renders the statement as `format` asks, else as the `Accept` header prefers. */
export function sendStatement(
  request: FastifyRequest,
  reply: FastifyReply,
  statement: Statement,
  format: 'json' | 'csv' | undefined,
) {
  const csv = format === 'csv' || (format === undefined && wantsCsv(request.headers.accept));
  if (!csv) return { data: renderStatement(statement) };
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="statement-${statement.period}.csv"`)
    .send(statementCsv(statement));
}

function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /(^|[\s,])text\/csv/i.test(accept);
}
