/**
 * An event's delivery log and its manual redelivery (to one endpoint, or to every subscribed
 * endpoint and callback), and an endpoint's latest deliveries (`endpoints/{id}/deliveries`, newest
 * first, at most 100): the same routes for a customer (`/billing/v1/webhooks`, their own events
 * and endpoints) and for the operator (`/admin/v1/webhooks`, any account's), differing only in
 * whose events they may reach.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { redeliverEvent } from '../../webhooks/deliveries.ts';
import { listEndpointDeliveries, listEventDeliveries } from '../../webhooks/delivery-log.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { ok } from '../schemas/envelope.ts';
import {
  DeliveryLog,
  EndpointDeliveryLog,
  EndpointIdParams,
  EventIdParams,
  endpointDeliveriesQuery,
  RedeliverBody,
  Redelivered,
  renderDelivery,
  renderEndpointDelivery,
} from '../schemas/webhooks.ts';

const DELIVERIES_PAGE_DEFAULT = 20;
const DELIVERIES_PAGE_MAX = 100;

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

  app.get(
    `${scope.prefix}/endpoints/:endpoint_id/deliveries`,
    {
      schema: {
        params: EndpointIdParams,
        querystring: endpointDeliveriesQuery(DELIVERIES_PAGE_MAX),
        response: ok(EndpointDeliveryLog),
      },
    },
    async (request) => {
      const ref = {
        endpoint_id: request.params.endpoint_id,
        account_id: scope.account_id(request),
        limit: request.query.limit ?? DELIVERIES_PAGE_DEFAULT,
      };
      return { data: (await listEndpointDeliveries(ctx.db, ref)).map(renderEndpointDelivery) };
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
