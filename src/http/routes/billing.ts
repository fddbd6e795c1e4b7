/**
 * The customer's billing API: `GET /billing/v1/rate-card` (the card in effect for the account,
 * with its rate override applied; rates as decimal strings and as exact micro-USD) and `POST /billing/v1/quote` (what the create
 * call of the product named by `?product=` — `videos` by default, `lipsyncs`, … — would hold with
 * the same body, and by which estimate rule; writes nothing). The body is validated against that
 * product's create schema (`QUOTABLE`, one row per product).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { quoteFor } from '../../jobs/submit.ts';
import { pricingFor } from '../../pricing/pricing-for.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { accountIdOf } from '../auth-hook.ts';
import { ok } from '../schemas/envelope.ts';
import { QuoteQuery, validateQuoteBody } from '../schemas/quote.ts';
import { renderRateCard } from '../schemas/rate-cards.ts';
import { Quote, RateCardInEffect } from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';

export const billingRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/billing/v1/rate-card',
    { schema: { response: ok(RateCardInEffect) } },
    async (request) => {
      const at = { account_id: accountIdOf(request), at_ms: ctx.clock.now_ms() };
      const pricing = await pricingFor(ctx, at);
      return { data: { ...renderRateCard(pricing.card), rate_override_id: pricing.override_id } };
    },
  );

  app.post(
    '/billing/v1/quote',
    { schema: { querystring: QuoteQuery, response: ok(Quote) } },
    async (request) => {
      const { product, input } = validateQuoteBody(request.query.product, request.body);
      const quote = await quoteFor(ctx, { account_id: accountIdOf(request), product, input });
      return {
        data: {
          product: quote.usage.product,
          rate_card_version: quote.rate_card_version,
          sku: quote.sku,
          unit: quote.unit,
          rate_usd: quote.rate_usd,
          rate_micro_usd: quote.rate_micro_usd,
          estimate_rule: quote.estimate_rule,
          estimated_duration_ms: quote.estimated_duration_ms,
          estimated_amount_micro_usd: quote.estimated_amount_micro_usd,
          estimated_amount_usd: formatMicroUsd(quote.estimated_amount_micro_usd),
          hold_amount_micro_usd: quote.hold_amount_micro_usd,
          hold_amount_usd: formatMicroUsd(quote.hold_amount_micro_usd),
          test: quote.test,
        },
      };
    },
  );
};
