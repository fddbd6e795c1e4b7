/**
 * Operator routes the console needs beyond the operator API (registered under `/admin/v1`, behind
 * the operator hook): account search, the jobs in flight, revenue per product per UTC day, and
 * reconciles (the last one, and running one now).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listJobsInFlight, searchAccounts } from '../../dashboard/operator-views.ts';
import { lastReconcile, type ReconcileRun, runReconcile } from '../../dashboard/reconcile-runs.ts';
import { revenueByProductDay } from '../../jobs/charges.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { httpError } from '../errors.ts';
import { renderAccount } from '../schemas/accounts.ts';
import { dataOf, ok } from '../schemas/envelope.ts';
import { isoOf } from '../schemas/render.ts';
import type { RouteOptions } from '../server.ts';

const DAY_MS = 86_400_000n;
const Data = ok(dataOf(Type.Unknown()));
const REVENUE_RANGE_DAYS_DEFAULT = 30n;
const REVENUE_RANGE_DAYS_MAX = 400n;
const LIST_LIMIT_DEFAULT = 20;

function renderRun(run: ReconcileRun) {
  return {
    ...run,
    started_at: isoOf(run.started_at_ms),
    finished_at: isoOf(run.finished_at_ms),
  };
}

export const dashboardOperatorRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  const limit = Type.Integer({
    minimum: 1,
    maximum: ctx.config.limits.page_size_max,
    default: LIST_LIMIT_DEFAULT,
  });

  app.get(
    '/search/accounts',
    {
      schema: {
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 254 }), limit }),
        response: Data,
      },
    },
    async (request) => {
      const accounts = await searchAccounts(ctx, {
        query: request.query.q,
        limit: request.query.limit,
      });
      return { data: accounts.map(renderAccount) };
    },
  );

  app.get(
    '/jobs/in-flight',
    { schema: { querystring: Type.Object({ limit }), response: Data } },
    async (request) => {
      const jobs = await listJobsInFlight(ctx.db, { limit: request.query.limit });
      return {
        data: jobs.map((job) => ({
          id: job.id,
          account_id: job.account_id,
          kind: job.kind,
          product: job.product,
          status: job.status,
          hold_amount_micro_usd: job.hold_amount_micro_usd,
          hold_amount_usd: formatMicroUsd(job.hold_amount_micro_usd),
          created_at_ms: job.created_at_ms,
          created_at: isoOf(job.created_at_ms),
        })),
      };
    },
  );

  app.get(
    '/reports/revenue',
    {
      schema: {
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
          to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
          account_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        }),
        response: Data,
      },
    },
    async (request) => {
      const { from, to, account_id } = request.query;
      const to_ms = to === undefined ? ctx.clock.now_ms() : BigInt(Date.parse(to));
      const from_ms =
        from === undefined ? to_ms - REVENUE_RANGE_DAYS_DEFAULT * DAY_MS : BigInt(Date.parse(from));
      if (from_ms >= to_ms || to_ms - from_ms > REVENUE_RANGE_DAYS_MAX * DAY_MS) {
        throw httpError(
          'invalid_parameter',
          '`from` must be before `to`, at most 400 days apart.',
          {
            param: 'from',
          },
        );
      }
      const days = await revenueByProductDay(ctx.db, {
        from_ms,
        to_ms,
        account_id: account_id ?? null,
      });
      return {
        data: days.map((day) => ({
          ...day,
          charged_amount_usd: formatMicroUsd(day.charged_amount_micro_usd),
        })),
      };
    },
  );

  app.get('/reconciles/last', { schema: { response: Data } }, async () => {
    const run = await lastReconcile(ctx.db);
    return { data: run === null ? null : renderRun(run) };
  });

  app.post('/reconciles', { schema: { response: Data } }, async () => ({
    data: renderRun(await runReconcile(ctx)),
  }));
};
