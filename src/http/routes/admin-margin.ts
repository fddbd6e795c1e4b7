/**
 * `GET /admin/v1/reports/margin?from=&to=&account_id=&format=json|csv`: the resale margin report
 * (`engines/margin.ts`): per UTC day, product and account, what customers were charged for jobs a
 * remote engine rendered, what the upstream charged, and the margin. JSON by default (HeyGen's
 * envelope), or CSV (`format=csv`, `text/csv`, a header row then one row per group).
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import { marginCsvRows, marginReport, renderMarginRow } from '../../engines/margin.ts';
import { DomainError } from '../../shared/errors.ts';
import type { HttpErrorCode } from '../errors.ts';
import { dataOf, MicroUsd, ok, Usd } from '../schemas/envelope.ts';
import type { RouteOptions } from '../server.ts';

const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}',
  maxLength: 40,
  description: 'ISO 8601 (2026-12-01 or 2026-12-01T10:00:00Z)',
});

const MarginQuery = Type.Object(
  {
    from: Instant,
    to: Type.Optional(Instant),
    account_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
);

const SignedMicroUsd = Type.Integer({ description: 'Integer micro-USD; negative: a loss.' });
const MarginRowSchema = Type.Object({
  day: Type.String(),
  product: Type.String(),
  account_id: Type.String(),
  job_count: Type.Integer(),
  costed_job_count: Type.Integer(),
  charged_amount_micro_usd: MicroUsd,
  charged_usd: Usd,
  costed_charged_amount_micro_usd: MicroUsd,
  costed_charged_usd: Usd,
  upstream_cost_micro_usd: MicroUsd,
  upstream_cost_usd: Usd,
  margin_micro_usd: SignedMicroUsd,
  margin_usd: Type.String(),
});
const MarginReport = dataOf(Type.Array(MarginRowSchema));

function instantOf(param: string, text: string): bigint {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new DomainError<HttpErrorCode>('invalid_parameter', `${param} is not an ISO 8601 time.`, {
      param,
    });
  }
  return BigInt(ms);
}

export const adminMarginRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/reports/margin',
    { schema: { querystring: MarginQuery, response: ok(MarginReport) } },
    async (request, reply) => {
      const { from, to, account_id, format } = request.query;
      const from_ms = instantOf('from', from);
      const to_ms = to === undefined ? ctx.clock.now_ms() + 1n : instantOf('to', to);
      if (to_ms <= from_ms) {
        throw new DomainError<HttpErrorCode>('invalid_parameter', 'to must be after from.', {
          param: 'to',
        });
      }
      const rows = await marginReport(ctx.db, { from_ms, to_ms, account_id: account_id ?? null });
      if (format === 'csv') {
        void reply.type('text/csv; charset=utf-8');
        return stringify(marginCsvRows(rows));
      }
      return { data: rows.map(renderMarginRow) };
    },
  );
};
