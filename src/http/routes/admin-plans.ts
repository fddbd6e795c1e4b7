/**
 * Web plans in the operator API (`plans/`): the plan catalog (`GET /plans`, `PUT
 * /plans/{plan_id}` stores or replaces a plan), an account's subscription and credits (`GET|PUT
 * /accounts/{account_id}/subscription`), add-on credit packs (`POST|GET
 * /accounts/{account_id}/credit-packs`; a POST is safe to retry with an `Idempotency-Key`, whose
 * response is stored in the pack's own transaction) and the credit rate card's versions (`POST|GET
 * /credit-rate-cards`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getAccount } from '../../accounts/accounts.ts';
import { withTransaction } from '../../context.ts';
import { getPlan, listPlans, savePlan } from '../../plans/catalog.ts';
import { createCreditCard, listCreditCards } from '../../plans/credit-card-store.ts';
import { grantCreditPack, listCreditPacks } from '../../plans/credit-packs.ts';
import { readWebPlanCredits, subscribe } from '../../plans/subscriptions.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { AccountIdParams } from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import {
  CreateCreditCardBody,
  CreditCardBody,
  CreditCardList,
  CreditPackBody,
  CreditPackCreated,
  CreditPackList,
  PlanBody,
  PlanIdParams,
  PlanList,
  parseCredits,
  renderCreditCard,
  renderCreditPack,
  renderPlan,
  renderWebPlan,
  SavePlanBody,
  SubscribeBody,
  WebPlanBody,
} from '../schemas/plans.ts';
import type { RouteOptions } from '../server.ts';

const PACK_PAGE_SIZE_DEFAULT = 20;

export const adminPlanRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.get('/plans', { schema: { response: ok(PlanList) } }, async () => ({
    data: (await listPlans(ctx.db)).map(renderPlan),
  }));

  app.put(
    '/plans/:plan_id',
    { schema: { params: PlanIdParams, body: SavePlanBody, response: ok(PlanBody) } },
    async (request) => {
      const { premium_credits, ...rest } = request.body;
      const input = {
        ...rest,
        id: request.params.plan_id,
        premium_credit_milli: parseCredits(premium_credits, 'premium_credits'),
      };
      return { data: renderPlan(await withTransaction(ctx, (tx) => savePlan(tx, input))) };
    },
  );

  const subscriptionPath = '/accounts/:account_id/subscription';
  app.get(
    subscriptionPath,
    { schema: { params: AccountIdParams, response: ok(WebPlanBody) } },
    async (request) => {
      const { account_id } = request.params;
      await getAccount(ctx, account_id);
      return { data: renderWebPlan(account_id, await readWebPlanCredits(ctx.db, account_id)) };
    },
  );

  app.put(
    subscriptionPath,
    { schema: { params: AccountIdParams, body: SubscribeBody, response: ok(WebPlanBody) } },
    async (request) => {
      const { account_id } = request.params;
      await getPlan(ctx.db, request.body.plan, 'plan');
      await withTransaction(ctx, (tx) => subscribe(tx, { account_id, plan_id: request.body.plan }));
      return { data: renderWebPlan(account_id, await readWebPlanCredits(ctx.db, account_id)) };
    },
  );

  const packsPath = '/accounts/:account_id/credit-packs';
  app.post(
    packsPath,
    { schema: { params: AccountIdParams, body: CreditPackBody, response: ok(CreditPackCreated) } },
    async (request) => {
      const { account_id } = request.params;
      const input = {
        account_id,
        amount_credit_milli: parseCredits(request.body.credits, 'credits'),
        memo: request.body.memo ?? null,
      };
      return idempotentWrite(ctx, request, {
        write: async (tx) => ({
          pack: await grantCreditPack(tx, input),
          credits: await readWebPlanCredits(tx.db, account_id),
        }),
        render: ({ pack, credits }) => ({
          data: { ...renderCreditPack(pack), web_plan: renderWebPlan(account_id, credits) },
        }),
      });
    },
  );

  const packQuery = Type.Object({
    limit: Type.Integer({
      minimum: 1,
      maximum: ctx.config.limits.page_size_max,
      default: PACK_PAGE_SIZE_DEFAULT,
    }),
  });
  app.get(
    packsPath,
    { schema: { params: AccountIdParams, querystring: packQuery, response: ok(CreditPackList) } },
    async (request) => {
      const { account_id } = request.params;
      await getAccount(ctx, account_id);
      const packs = await listCreditPacks(ctx.db, { account_id, limit: request.query.limit });
      return { data: packs.map(renderCreditPack) };
    },
  );

  app.post(
    '/credit-rate-cards',
    { schema: { body: CreateCreditCardBody, response: ok(CreditCardBody) } },
    async (request) => {
      const { effective_at, ...card } = request.body;
      const input = {
        ...card,
        effective_at_ms: effective_at == null ? null : BigInt(Date.parse(effective_at)),
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => createCreditCard(tx, input),
        render: (version) => ({ data: renderCreditCard(version) }),
      });
    },
  );

  app.get('/credit-rate-cards', { schema: { response: ok(CreditCardList) } }, async () => ({
    data: (await listCreditCards(ctx.db, ctx.clock.now_ms())).map(renderCreditCard),
  }));
};
