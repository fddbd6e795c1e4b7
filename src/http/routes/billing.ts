/**
 * The customer's billing API: `GET /billing/v1/rate-card` (the card in effect, rates as the
 * published decimal strings and as exact micro-USD) and `POST /billing/v1/quote` (what
 * `POST /v3/videos` with the same body would hold, and by which estimate rule; writes nothing).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { quoteVideo } from '../../jobs/quote.ts';
import type { RateCard } from '../../pricing/rate-card.ts';
import { activeRateCard } from '../../pricing/rate-cards.ts';
import { toSafeNumber } from '../../shared/clock.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { accountIdOf } from '../auth-hook.ts';
import { CreateVideoBody } from '../schemas/videos.ts';
import type { RouteOptions } from '../server.ts';

function toRateCardView(card: RateCard) {
  return {
    version: card.version,
    effective_at: new Date(toSafeNumber(card.effective_at_ms)).toISOString(),
    effective_at_ms: card.effective_at_ms,
    currency: 'usd',
    rows: card.rows.map((row) => ({
      sku: row.sku,
      unit: row.unit,
      rate_usd: row.rate_usd,
      rate_micro_usd: row.rate_micro_usd,
      increment_ms: row.increment_ms,
      minimum_ms: row.minimum_ms,
      enterprise_only: row.enterprise_only,
      existing_customers_only: row.existing_customers_only,
    })),
  };
}

export const billingRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/billing/v1/rate-card', async () => ({
    data: toRateCardView(activeRateCard(ctx.clock.now_ms())),
  }));

  // The same body as POST /v3/videos, with the same bound.
  const bodyLimit = ctx.config.limits.job_request_size_bytes_max;
  app.post(
    '/billing/v1/quote',
    { schema: { body: CreateVideoBody }, bodyLimit },
    async (request) => {
      const quote = await quoteVideo(ctx, {
        account_id: accountIdOf(request),
        input: request.body,
      });
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
    },
  );
};
