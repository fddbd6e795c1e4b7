/**
 * Operator adjustments (`wallets/adjustments.ts`, `wallets/refunds.ts`):
 * `POST /admin/v1/accounts/{account_id}/adjustments` {type: credit|debit, amount_usd, memo,
 * operator?, and for a credit kind/priority/expires_at/source} and
 * `POST /admin/v1/jobs/{job_id}/refunds` {amount_usd?, memo, operator?}. Each is ledger
 * transfers recording the operator and the memo, shown in the customer's history, with an
 * `adjustment.applied` event; `Idempotency-Key` makes a retry return the first response.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getAccount } from '../../accounts/accounts.ts';
import { creditWallet, debitByOperator } from '../../wallets/adjustments.ts';
import { refundJob } from '../../wallets/refunds.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { AccountIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import { AdjustmentApplied, RefundApplied } from '../schemas/tollgate-responses.ts';
import {
  CreateAdjustmentBody,
  CreateRefundBody,
  expiresAtMs,
  JobIdParams,
  parseAmountUsd,
  renderAdjustment,
  renderBalance,
  renderGrant,
} from '../schemas/wallet.ts';
import type { RouteOptions } from '../server.ts';

export const adminAdjustmentRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  app.post(
    '/accounts/:account_id/adjustments',
    {
      schema: {
        params: AccountIdParams,
        body: CreateAdjustmentBody,
        response: ok(AdjustmentApplied),
      },
    },
    async (request) => {
      const { type, amount_usd, memo, operator, kind, priority, expires_at, source } = request.body;
      const account_id = request.params.account_id;
      const amount_micro_usd = parseAmountUsd(amount_usd);
      const expires_at_ms = expiresAtMs(expires_at);
      return idempotentWrite(ctx, request, {
        write: async (tx) => {
          await getAccount(tx, account_id);
          if (type === 'debit') {
            return debitByOperator(tx, { account_id, amount_micro_usd, memo, operator });
          }
          const credited = await creditWallet(tx, {
            account_id,
            kind,
            amount_micro_usd,
            memo,
            operator,
            priority,
            expires_at_ms,
            source,
          });
          return { ...credited, grant: credited.grant };
        },
        render: (result) => ({
          data: {
            ...renderAdjustment(result.adjustment),
            grant: 'grant' in result ? renderGrant(result.grant) : null,
            wallet: renderBalance(result.balance),
          },
        }),
      });
    },
  );

  app.post(
    '/jobs/:job_id/refunds',
    { schema: { params: JobIdParams, body: CreateRefundBody, response: ok(RefundApplied) } },
    async (request) => {
      const { amount_usd, memo, operator } = request.body;
      const input = {
        job_id: request.params.job_id,
        amount_micro_usd: amount_usd === null ? null : parseAmountUsd(amount_usd),
        memo,
        operator,
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => refundJob(tx, input),
        render: (result) => ({
          data: {
            ...renderAdjustment(result.adjustment),
            job_id: result.job_id,
            grants: result.grants.map(renderGrant),
            wallet: renderBalance(result.balance),
          },
        }),
      });
    },
  );
};
