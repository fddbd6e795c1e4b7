/**
 * HeyGen's webhook API (`/v3/webhooks/*`, API.md §11): endpoints (create with the `secret` shown
 * once, list, `PATCH`, delete, `rotate-secret`), the event-type catalog and the account's event
 * log; and Tollgate's additions under `/billing/v1/webhooks`: an event's delivery log, manual
 * redelivery, and the secret that signs `callback_url` deliveries. Endpoint URLs pass the
 * outbound guard (`net/outbound.ts`) before they are stored.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EVENT_TYPES, type EventType, listAccountEvents } from '../../events/events.ts';
import { checkOutboundUrl } from '../../net/outbound.ts';
import { getCallbackSecret } from '../../webhooks/delivery-log.ts';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
} from '../../webhooks/endpoints.ts';
import { listEventTypes } from '../../webhooks/event-types.ts';
import { accountIdOf } from '../auth-hook.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, pageQuerySchema, renderPage } from '../pagination.ts';
import { ok } from '../schemas/envelope.ts';
import {
  CallbackSecret,
  CreateEndpointBody,
  EndpointBody,
  EndpointDeleted,
  EndpointIdParams,
  EndpointPage,
  EventTypeList200,
  eventsQuerySchema,
  renderEndpoint,
  renderWebhookEvent,
  SecretRotated,
  UpdateEndpointBody,
  WebhookEventPage,
} from '../schemas/webhooks.ts';
import type { RouteOptions } from '../server.ts';
import { registerDeliveryRoutes } from './webhook-deliveries.ts';

const PAGE_SIZE_DEFAULT = 10;

export const webhookRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const checkUrl = (url: string) => checkOutboundUrl(ctx.config, url, { param: 'url' });

  app.post(
    '/v3/webhooks/endpoints',
    { schema: { body: CreateEndpointBody, response: ok(EndpointBody) } },
    async (request) => {
      const url = (await checkUrl(request.body.url)).href;
      const input = {
        account_id: accountIdOf(request),
        url,
        events: request.body.events ?? null,
        entity_id: request.body.entity_id ?? null,
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => createEndpoint(tx, input),
        render: (row) => ({ data: renderEndpoint(row, { secret: true }) }),
        renderReplay: (row) => ({ data: renderEndpoint(row, { secret: false }) }),
      });
    },
  );

  const pageQuery = pageQuerySchema(PAGE_SIZE_DEFAULT, ctx.config.limits.page_size_max);
  app.get(
    '/v3/webhooks/endpoints',
    { schema: { querystring: pageQuery, response: ok(EndpointPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const after = decodePageToken(token);
      const rows = await listEndpoints(ctx.db, { account_id: accountIdOf(request), limit, after });
      return renderPage(rows, limit, (row) => renderEndpoint(row, { secret: false }));
    },
  );

  app.patch(
    '/v3/webhooks/endpoints/:endpoint_id',
    { schema: { params: EndpointIdParams, body: UpdateEndpointBody, response: ok(EndpointBody) } },
    async (request) => {
      const { url, events, status } = request.body;
      const input = {
        account_id: accountIdOf(request),
        endpoint_id: request.params.endpoint_id,
        ...(url === undefined || url === null ? {} : { url: (await checkUrl(url)).href }),
        ...(events === undefined ? {} : { events }),
        ...(status === undefined ? {} : { status }),
      };
      return idempotentWrite(ctx, request, {
        write: (tx) => updateEndpoint(tx, input),
        render: (row) => ({ data: renderEndpoint(row, { secret: false }) }),
      });
    },
  );

  app.delete(
    '/v3/webhooks/endpoints/:endpoint_id',
    { schema: { params: EndpointIdParams, response: ok(EndpointDeleted) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), endpoint_id: request.params.endpoint_id };
      return idempotentWrite(ctx, request, {
        write: (tx) => deleteEndpoint(tx, ref),
        render: () => ({ data: {} }),
      });
    },
  );

  app.post(
    '/v3/webhooks/endpoints/:endpoint_id/rotate-secret',
    { schema: { params: EndpointIdParams, response: ok(SecretRotated) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), endpoint_id: request.params.endpoint_id };
      return idempotentWrite(ctx, request, {
        write: (tx) => rotateEndpointSecret(tx, ref),
        render: (row) => ({ data: { endpoint_id: row.id, secret: row.secret } }),
        renderReplay: (row) => ({ data: { endpoint_id: row.id, secret: null } }),
      });
    },
  );

  app.get('/v3/webhooks/event-types', { schema: { response: ok(EventTypeList200) } }, async () => ({
    data: listEventTypes(),
    has_more: false,
    next_token: null,
  }));

  const eventsQuery = eventsQuerySchema(ctx.config.limits.page_size_max);
  app.get(
    '/v3/webhooks/events',
    { schema: { querystring: eventsQuery, response: ok(WebhookEventPage) } },
    async (request) => {
      const { limit, token, event_type, entity_id } = request.query;
      const after = decodePageToken(token);
      // A type Tollgate never records (one of HeyGen's other products) has no events.
      if (event_type !== undefined && !(EVENT_TYPES as readonly string[]).includes(event_type)) {
        return { data: [], has_more: false, next_token: null };
      }
      const rows = await listAccountEvents(ctx.db, accountIdOf(request), {
        limit,
        after,
        ...(event_type === undefined ? {} : { type: event_type as EventType }),
        ...(entity_id === undefined ? {} : { entity_id }),
      });
      return renderPage(rows, limit, renderWebhookEvent);
    },
  );

  registerDeliveryRoutes(app, ctx, { prefix: '/billing/v1/webhooks', account_id: accountIdOf });

  app.get(
    '/billing/v1/webhooks/callback-secret',
    { schema: { response: ok(CallbackSecret) } },
    async (request) => ({ data: { secret: await getCallbackSecret(ctx, accountIdOf(request)) } }),
  );
};
