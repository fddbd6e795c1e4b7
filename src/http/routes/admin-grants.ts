/**
 * Operator grants: `POST /admin/v1/accounts/{account_id}/grants` credits a wallet with a paid
 * top-up or a promotional credit, with optional terms (`priority`, `expires_at` as ISO 8601,
 * `source` operator|promotion); `GET /admin/v1/accounts/{account_id}/grants` lists the account's
 * grants with what each has left, holds, expired and was revoked; `POST
 * /admin/v1/grants/{grant_id}/revoke` revokes a grant's unspent part (`wallets/adjustments.ts`).
 * Amounts are decimal USD strings converted exactly to micro-USD (no rounding: "0.0000001" is
 * refused). Retries are safe with an `Idempotency-Key`, whose response is recorded in the write's
 * own transaction (`idempotent-write.ts`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { revokeGrant } from '../../wallets/adjustments.ts';
import { listGrants } from '../../wallets/grant-list.ts';
import { grantToAccount } from '../../wallets/grants.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, pageQuerySchema, renderPage } from '../pagination.ts';
import { AccountIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import { GrantCreated, GrantPage, GrantRevoked } from '../schemas/tollgate-responses.ts';
import {
  CreateGrantBody,
  expiresAtMs,
  GrantIdParams,
  parseAmountUsd,
  RevokeGrantBody,
  renderAdjustment,
  renderBalance,
  renderGrant,
  renderGrantWithFigures,
} from '../schemas/wallet.ts';
import type { RouteOptions } from '../server.ts';

const GRANT_PAGE_SIZE_DEFAULT = 20;

export const adminGrantRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/accounts/:account_id/grants',
    { schema: { params: AccountIdParams, body: CreateGrantBody, response: ok(GrantCreated) } },
    async (request) => {
      const { amount_usd, kind, memo, priority, expires_at, source } = request.body;
      const input = {
        account_id: request.params.account_id,
        kind,
        amount_micro_usd: parseAmountUsd(amount_usd),
        memo,
        priority,
        expires_at_ms: expiresAtMs(expires_at),
        source,
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => grantToAccount(tx, input),
        render: ({ grant, balance }) => ({
          data: { ...renderGrant(grant), wallet: renderBalance(balance) },
        }),
      });
    },
  );

  const querystring = pageQuerySchema(GRANT_PAGE_SIZE_DEFAULT, ctx.config.limits.page_size_max);
  app.get(
    '/accounts/:account_id/grants',
    { schema: { params: AccountIdParams, querystring, response: ok(GrantPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const rows = await listGrants(ctx, {
        account_id: request.params.account_id,
        limit,
        after: decodePageToken(token),
      });
      return renderPage(rows, limit, renderGrantWithFigures);
    },
  );

  app.post(
    '/grants/:grant_id/revoke',
    { schema: { params: GrantIdParams, body: RevokeGrantBody, response: ok(GrantRevoked) } },
    async (request) => {
      const input = { grant_id: request.params.grant_id, ...request.body };
      return idempotentWrite(ctx, request, {
        write: (tx) => revokeGrant(tx, input),
        render: (result) => ({
          data: {
            grant_id: result.grant.id,
            revoked_micro_usd: result.revoked_micro_usd,
            held_micro_usd: result.held_micro_usd,
            adjustment: result.adjustment === null ? null : renderAdjustment(result.adjustment),
            wallet: renderBalance(result.balance),
          },
        }),
      });
    },
  );
};
