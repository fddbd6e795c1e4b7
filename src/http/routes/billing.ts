/**
 * The customer's billing API: `GET /billing/v1/rate-card` (the card in effect for the account,
 * with its rate override applied, rates as decimal strings and as exact micro-USD) and `POST /billing/v1/quote` (what
 * `POST /v3/videos` with the same body would hold, and by which estimate rule; writes nothing).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { quoteVideo } from '../../jobs/quote.ts';
import { pricingFor } from '../../pricing/pricing-for.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { accountIdOf } from '../auth-hook.ts';
import { renderRateCard } from '../schemas/rate-cards.ts';
import { CreateVideoBody } from '../schemas/videos.ts';
import type { RouteOptions } from '../server.ts';

export const billingRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/billing/v1/rate-card', async (request) => {
    const at = { account_id: accountIdOf(request), at_ms: ctx.clock.now_ms() };
    const pricing = await pricingFor(ctx.db, at);
    return { data: { ...renderRateCard(pricing.card), rate_override_id: pricing.override_id } };
  });

  app.post('/billing/v1/quote', { schema: { body: CreateVideoBody } }, async (request) => {
    const quote = await quoteVideo(ctx, { account_id: accountIdOf(request), input: request.body });
    return {
      data: {
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
  });
};
