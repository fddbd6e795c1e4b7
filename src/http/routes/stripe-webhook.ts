/**
 * `POST /webhooks/stripe`: Stripe's events, authenticated by their `Stripe-Signature` (no API
 * key). The body is kept as the raw text Stripe signed (this scope's own JSON parser), verified
 * with the SDK, then applied (`payments/stripe-webhook.ts`). A bad or stale signature is a 400
 * and writes nothing; an event about nothing of ours is a 200 so Stripe stops sending it.
 */
import type { FastifyPluginAsync } from 'fastify';
import { handleStripeEvent, verifyStripeEvent } from '../../payments/stripe-webhook.ts';
import { ok } from '../schemas/envelope.ts';
import { StripeEventReceived } from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';

export const stripeWebhookRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  app.post(
    '/webhooks/stripe',
    { schema: { response: ok(StripeEventReceived) } },
    async (request) => {
      const signature = request.headers['stripe-signature'];
      const payload = typeof request.body === 'string' ? request.body : '';
      const event = verifyStripeEvent(ctx, {
        payload,
        signature: typeof signature === 'string' ? signature : undefined,
      });
      const handled = await handleStripeEvent(ctx, event);
      return { data: { received: true, ...handled } };
    },
  );
};
