/**
 * An event's delivery log and its manual redelivery (to one endpoint, or to every subscribed
 * endpoint and callback): the same two routes for a customer (`/billing/v1/webhooks`, their own
 * events) and for the operator (`/admin/v1/webhooks`, any account's), differing only in whose
 * events they may reach.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
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

type TypedApp = Parameters<FastifyPluginAsyncTypebox>[0];

export type DeliveryScope = {
  /** Where the routes live, e.g. `/billing/v1/webhooks`. */
  prefix: string;
  /** The account whose events the caller may reach; null for every account (the operator). */
  account_id: (request: FastifyRequest) => string | null;
};

export function registerDeliveryRoutes(app: TypedApp, ctx: AppContext, scope: DeliveryScope) {
  app.get(
    `${scope.prefix}/events/:event_id/deliveries`,
    { schema: { params: EventIdParams, response: ok(DeliveryLog) } },
    async (request) => {
      const ref = { event_id: request.params.event_id, account_id: scope.account_id(request) };
      return { data: (await listEventDeliveries(ctx.db, ref)).map(renderDelivery) };
    },
  );

  app.post(
    `${scope.prefix}/events/:event_id/redeliver`,
    {
      schema: { params: EventIdParams, body: RedeliverBody, response: ok(Redelivered) },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const input = {
        event_id: request.params.event_id,
        account_id: scope.account_id(request),
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
}
