/**
 * The dashboard's own customer routes under `/dashboard/v1` (registered in the customer scope):
 * API keys (list with each key's spending limit, create with the secret shown once, revoke; only
 * with a signed-in session, so a key can never mint or revoke keys), the account's time zone,
 * usage per product per day in that time zone for the chart, and the account's web plan (plan,
 * cycle, premium and add-on credits: what an OAuth token's `users/me` shows, which a session's
 * does not, as a session sees the account's own pool).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createApiKey } from '../../auth/api-keys.ts';
import { withTransaction } from '../../context.ts';
import { revokeAccountApiKey } from '../../dashboard/api-keys.ts';
import { getPreferences, setPreferences } from '../../dashboard/preferences.ts';
import { USAGE_RANGE_MS_MAX, usageByProductDay } from '../../dashboard/usage.ts';
import { readWebPlanCredits } from '../../plans/subscriptions.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { accountIdOf } from '../auth-hook.ts';
import { httpError } from '../errors.ts';
import {
  CreateApiKeyBody,
  KeyIdParams,
  renderApiKey,
  renderNewApiKey,
} from '../schemas/accounts.ts';
import { dataOf, ok } from '../schemas/envelope.ts';
import { renderWebPlan, WebPlanBody } from '../schemas/plans.ts';
import { ApiKeyBody, ApiKeyCreated, ApiKeyList } from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';
import { renderApiKeyList } from './api-key-list.ts';

const DAY_MS = 86_400_000n;
/** Documented as the web app's: the routes also take an API key, except for managing keys. */
const security = [{ session_cookie: [] }];
const USAGE_RANGE_DAYS_DEFAULT = 30n;

/** The account of a signed-in dashboard session; any other caller is refused. */
function sessionAccountOf(request: FastifyRequest): string {
  if (request.principal?.kind !== 'session') {
    throw httpError('forbidden', 'Only a signed-in dashboard session may manage API keys.');
  }
  return request.principal.account_id;
}

const Preferences = Type.Object({ time_zone: Type.String({ minLength: 1, maxLength: 64 }) });
const UsageQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
});

function instantOf(text: string | undefined, fallback_ms: bigint): bigint {
  return text === undefined ? fallback_ms : BigInt(Date.parse(text));
}

export const dashboardAccountRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  app.get(
    '/dashboard/v1/api-keys',
    { schema: { security, response: ok(ApiKeyList) } },
    async (request) => {
      return renderApiKeyList(ctx, sessionAccountOf(request));
    },
  );

  app.post(
    '/dashboard/v1/api-keys',
    {
      schema: { security, body: CreateApiKeyBody, response: ok(ApiKeyCreated) },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const input = { account_id: sessionAccountOf(request), name: request.body.name ?? null };
      const key = await withTransaction(ctx, (tx) => createApiKey(tx, input));
      return { data: renderNewApiKey(key) };
    },
  );

  app.delete(
    '/dashboard/v1/api-keys/:key_id',
    { schema: { security, params: KeyIdParams, response: ok(ApiKeyBody) } },
    async (request) => {
      const input = { account_id: sessionAccountOf(request), key_id: request.params.key_id };
      const key = await withTransaction(ctx, (tx) => revokeAccountApiKey(tx, input));
      return { data: renderApiKey(key) };
    },
  );

  app.get(
    '/dashboard/v1/preferences',
    { schema: { security, response: ok(dataOf(Preferences)) } },
    async (request) => ({
      data: await getPreferences(ctx.db, accountIdOf(request)),
    }),
  );

  app.patch(
    '/dashboard/v1/preferences',
    {
      schema: {
        security,
        body: Type.Object(
          { time_zone: Preferences.properties.time_zone },
          { additionalProperties: false },
        ),
        response: ok(dataOf(Preferences)),
      },
    },
    async (request) => ({
      data: await setPreferences(ctx, {
        account_id: accountIdOf(request),
        time_zone: request.body.time_zone,
      }),
    }),
  );

  app.get(
    '/dashboard/v1/usage',
    {
      schema: {
        security,
        querystring: UsageQuery,
        response: ok(dataOf(Type.Array(Type.Unknown()))),
      },
    },
    async (request) => {
      const account_id = accountIdOf(request);
      const to_ms = instantOf(request.query.to, ctx.clock.now_ms());
      const from_ms = instantOf(request.query.from, to_ms - USAGE_RANGE_DAYS_DEFAULT * DAY_MS);
      if (from_ms >= to_ms || to_ms - from_ms > USAGE_RANGE_MS_MAX) {
        throw httpError(
          'invalid_parameter',
          '`from` must be before `to`, at most 400 days apart.',
          {
            param: 'from',
          },
        );
      }
      const { time_zone } = await getPreferences(ctx.db, account_id);
      const usage = await usageByProductDay(ctx.db, { account_id, from_ms, to_ms, time_zone });
      return {
        data: usage.days.map((day) => ({
          ...day,
          charged_amount_usd: formatMicroUsd(day.charged_amount_micro_usd),
        })),
        time_zone,
        truncated: usage.truncated,
      };
    },
  );

  app.get(
    '/dashboard/v1/web-plan',
    { schema: { security, response: ok(WebPlanBody) } },
    async (request) => {
      const account_id = accountIdOf(request);
      return { data: renderWebPlan(account_id, await readWebPlanCredits(ctx.db, account_id)) };
    },
  );
};
