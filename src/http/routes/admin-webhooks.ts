/**
 * The operator's webhook tools under `/admin/v1/webhooks`: any account's event delivery log, and
 * manual redelivery of an event (to one endpoint, or to every subscribed endpoint and callback).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { redeliverEvent } from '../../webhooks/deliveries.ts';
import { listEventDeliveries } from '../../webhooks/delivery-log.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { ok } from '../schemas/envelope.ts';
import {
  DeliveryLog,
  EventIdParams,
  RedeliverBody,
  Redelivered,
  renderDelivery,
} from '../schemas/webhooks.ts';
import type { RouteOptions } from '../server.ts';

export const adminWebhookRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/webhooks/events/:event_id/deliveries',
    { schema: { params: EventIdParams, response: ok(DeliveryLog) } },
    async (request) => {
      const ref = { event_id: request.params.event_id, account_id: null };
      return { data: (await listEventDeliveries(ctx.db, ref)).map(renderDelivery) };
    },
  );

  app.post(
    '/webhooks/events/:event_id/redeliver',
    {
      schema: { params: EventIdParams, body: RedeliverBody, response: ok(Redelivered) },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const input = {
        event_id: request.params.event_id,
        account_id: null,
        ...(request.body.endpoint_id === undefined
          ? {}
          : { endpoint_id: request.body.endpoint_id }),
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => redeliverEvent(tx, input),
        render: (deliveries) => ({ data: { event_id: input.event_id, deliveries } }),
      });
    },
  );
};
