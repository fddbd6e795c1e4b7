/**
 * `/admin/v1/rate-cards`: create a card version (now or scheduled later; retries are safe with an
 * `Idempotency-Key`, whose response is stored in the card's own transaction), list versions with
 * the one in effect, show one; and `/admin/v1/accounts/{account_id}/rate-overrides`: set (PUT),
 * list (GET, newest first) and remove (DELETE) an account's override.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withTransaction } from '../../context.ts';
import {
  createRateCard,
  getRateCardVersion,
  listRateCardVersions,
} from '../../pricing/rate-card-store.ts';
import {
  listRateOverrides,
  removeRateOverride,
  setRateOverride,
} from '../../pricing/rate-overrides.ts';
import { encodePageCursor } from '../../shared/page-token.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, pageQuerySchema } from '../pagination.ts';
import { AccountIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import {
  CreateRateCardBody,
  RateCardVersionParams,
  renderRateCardVersion,
  renderRateOverride,
  SetRateOverrideBody,
} from '../schemas/rate-cards.ts';
import {
  RateCardVersionBody,
  RateCardVersionPage,
  RateOverrideBody,
  RateOverridePage,
  RateOverrideRemoved,
} from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';

const PAGE_SIZE_DEFAULT = 20;

/** Given `limit + 1` items, the page and the token of its last item's position. */
function pageOf<T>(items: T[], limit: number, position: (item: T) => [bigint, string]) {
  const has_more = items.length > limit;
  const page = has_more ? items.slice(0, limit) : items;
  const last = page[page.length - 1];
  const next_token =
    has_more && last !== undefined
      ? encodePageCursor({ created_at_ms: position(last)[0], id: position(last)[1] })
      : null;
  return { page, has_more, next_token };
}

export const adminRateCardRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  const pageQuery = pageQuerySchema(PAGE_SIZE_DEFAULT, ctx.config.limits.page_size_max);

  app.post(
    '/rate-cards',
    { schema: { body: CreateRateCardBody, response: ok(RateCardVersionBody) } },
    async (request) => {
      const { effective_at, ...card } = request.body;
      const input = {
        ...card,
        effective_at_ms: effective_at == null ? null : BigInt(Date.parse(effective_at)),
        rows: card.rows.map((row) => ({
          ...row,
          increment_ms: row.increment_ms == null ? null : BigInt(row.increment_ms),
          minimum_ms: row.minimum_ms == null ? null : BigInt(row.minimum_ms),
        })),
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => createRateCard(tx, input),
        render: renderOne,
      });
    },
  );

  app.get(
    '/rate-cards',
    { schema: { querystring: pageQuery, response: ok(RateCardVersionPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const before_effective_at_ms = decodePageToken(token)?.created_at_ms ?? null;
      const at_ms = ctx.clock.now_ms();
      const versions = await listRateCardVersions(ctx, { at_ms, limit, before_effective_at_ms });
      const { page, has_more, next_token } = pageOf(versions, limit, (version) => [
        version.card.effective_at_ms,
        version.card.version,
      ]);
      return { data: page.map(renderRateCardVersion), has_more, next_token };
    },
  );

  app.get(
    '/rate-cards/:version',
    { schema: { params: RateCardVersionParams, response: ok(RateCardVersionBody) } },
    async (request) => {
      const at = { version: request.params.version, at_ms: ctx.clock.now_ms() };
      return { data: renderRateCardVersion(await getRateCardVersion(ctx, at)) };
    },
  );

  const overridesPath = '/accounts/:account_id/rate-overrides';
  app.put(
    overridesPath,
    {
      schema: {
        params: AccountIdParams,
        body: SetRateOverrideBody,
        response: ok(RateOverrideBody),
      },
    },
    async (request) => {
      const input = {
        account_id: request.params.account_id,
        memo: request.body.memo ?? null,
        rows: request.body.rows.map((row) => ({
          ...row,
          increment_ms: row.increment_ms == null ? null : BigInt(row.increment_ms),
          minimum_ms: row.minimum_ms == null ? null : BigInt(row.minimum_ms),
        })),
      };
      const override = await withTransaction(ctx, (tx) => setRateOverride(tx, input));
      return { data: renderRateOverride(override) };
    },
  );

  app.get(
    overridesPath,
    { schema: { params: AccountIdParams, querystring: pageQuery, response: ok(RateOverridePage) } },
    async (request) => {
      const { limit, token } = request.query;
      const before_version = decodePageToken(token)?.created_at_ms ?? null;
      const account_id = request.params.account_id;
      const overrides = await listRateOverrides(ctx, { account_id, limit, before_version });
      const { page, has_more, next_token } = pageOf(overrides, limit, (override) => [
        override.version,
        override.id,
      ]);
      return { data: page.map(renderRateOverride), has_more, next_token };
    },
  );

  app.delete(
    overridesPath,
    { schema: { params: AccountIdParams, response: ok(RateOverrideRemoved) } },
    async (request) => {
      const account_id = request.params.account_id;
      const ended = await withTransaction(ctx, (tx) => removeRateOverride(tx, { account_id }));
      return { data: { account_id, removed: ended === null ? null : renderRateOverride(ended) } };
    },
  );
};

function renderOne(version: Parameters<typeof renderRateCardVersion>[0]) {
  return { data: renderRateCardVersion(version) };
}
