/**
 * Webhook shapes: HeyGen's `/v3/webhooks/*` bodies and responses (API.md §11, CLI schemas), the
 * delivery log and redelivery of `/billing/v1/webhooks` and `/admin/v1/webhooks`. Every input
 * is bounded: URLs 2,048 characters, ids 128, at most 64 event types of 64 characters.
 */
import { Type } from 'typebox';
import type { Event } from '../../events/events.ts';
import type { DeliveryWithAttempts, EndpointDelivery } from '../../webhooks/delivery-log.ts';
import { endpointEvents } from '../../webhooks/endpoints.ts';
import type { WebhookEndpointRow } from '../../webhooks/webhooks.table.ts';
import { ID, URL } from './bounds.ts';
import { dataOf, IsoInstant, Nullable, pageOf } from './envelope.ts';
import { nullableString } from './nullable.ts';
import { isoOf } from './render.ts';

const EventTypeName = Type.String({ minLength: 1, maxLength: 64 });
const EventTypeList = Type.Optional(
  Type.Unsafe<string[] | null>({
    type: ['array', 'null'],
    items: EventTypeName,
    maxItems: 64,
    description: 'Event types to receive; null or absent: every type.',
  }),
);

export const CreateEndpointBody = Type.Object(
  {
    url: Type.String({ ...URL, description: 'A public HTTPS URL.' }),
    events: EventTypeList,
    entity_id: nullableString(ID),
  },
  { additionalProperties: false },
);

export const UpdateEndpointBody = Type.Object(
  {
    url: nullableString(URL),
    events: EventTypeList,
    status: Type.Optional(Type.Enum(['enabled', 'disabled'])),
  },
  { additionalProperties: false },
);

export const EndpointIdParams = Type.Object({ endpoint_id: Type.String(ID) });
export const EventIdParams = Type.Object({ event_id: Type.String(ID) });
export const RedeliverBody = Type.Object(
  { endpoint_id: Type.Optional(Type.String(ID)) },
  { additionalProperties: false },
);

export function eventsQuerySchema(limit_max: number) {
  return Type.Object({
    event_type: Type.Optional(EventTypeName),
    entity_id: Type.Optional(Type.String(ID)),
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: 10 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  });
}

const Endpoint = Type.Object({
  endpoint_id: Type.String(),
  url: Type.String(),
  events: Nullable(Type.Array(Type.String())),
  status: Type.Enum(['enabled', 'disabled']),
  created_at: IsoInstant,
  secret: Nullable(Type.String({ description: 'Shown on create and rotate only.' })),
  entity_id: Nullable(Type.String()),
  disabled_reason: Nullable(Type.String()),
});

export const EndpointBody = dataOf(Endpoint);
export const EndpointPage = pageOf(Endpoint);
export const EndpointDeleted = dataOf(Type.Object({}));
export const SecretRotated = dataOf(
  Type.Object({ endpoint_id: Type.String(), secret: Nullable(Type.String()) }),
);
export const EventTypeList200 = pageOf(
  Type.Object({ event_type: Type.String(), description: Type.String() }),
);
export const WebhookEventPage = pageOf(
  Type.Object({
    event_id: Type.String(),
    event_type: Type.String(),
    event_data: Type.Object({}, { additionalProperties: true }),
    created_at: IsoInstant,
  }),
);
export const Redelivered = dataOf(
  Type.Object({ event_id: Type.String(), deliveries: Type.Integer({ minimum: 0 }) }),
);
export const CallbackSecret = dataOf(Type.Object({ secret: Type.String() }));

const Attempt = Type.Object({
  attempt: Type.Integer(),
  url: Type.String(),
  started_at: IsoInstant,
  finished_at: Nullable(IsoInstant),
  response_status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

const DeliveryFields = {
  delivery_id: Type.String(),
  endpoint_id: Nullable(Type.String()),
  callback_url: Nullable(Type.String()),
  status: Type.Enum(['pending', 'sending', 'delivered', 'failed', 'cancelled']),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(IsoInstant),
  delivered_at: Nullable(IsoInstant),
  last_error: Nullable(Type.String()),
  attempt_log: Type.Array(Attempt),
};

export const DeliveryLog = dataOf(Type.Array(Type.Object(DeliveryFields)));

/** An endpoint's latest deliveries, newest first, each naming its event (to redeliver it). */
export const EndpointDeliveryLog = dataOf(
  Type.Array(
    Type.Object({
      ...DeliveryFields,
      event_id: Type.String(),
      event_type: Type.String(),
      created_at: IsoInstant,
    }),
  ),
);

export function endpointDeliveriesQuery(limit_max: number) {
  return Type.Object(
    { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: limit_max, default: 20 })) },
    { additionalProperties: false },
  );
}

export function renderEndpoint(row: WebhookEndpointRow, options: { secret: boolean }) {
  return {
    endpoint_id: row.id,
    url: row.url,
    events: endpointEvents(row),
    status: row.status,
    created_at: isoOf(row.created_at_ms),
    secret: options.secret ? row.secret : null,
    entity_id: row.entity_id,
    disabled_reason: row.disabled_reason,
  };
}

export function renderWebhookEvent(event: Event) {
  return {
    event_id: event.id,
    event_type: event.type,
    event_data: event.payload,
    created_at: isoOf(event.created_at_ms),
  };
}

export function renderEndpointDelivery(delivery: EndpointDelivery) {
  return {
    ...renderDelivery(delivery),
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    created_at: isoOf(delivery.created_at_ms),
  };
}

export function renderDelivery(delivery: DeliveryWithAttempts) {
  const open = delivery.status === 'pending';
  return {
    delivery_id: delivery.id,
    endpoint_id: delivery.endpoint_id,
    callback_url: delivery.callback_url,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: open ? isoOf(delivery.next_attempt_at_ms) : null,
    delivered_at: delivery.delivered_at_ms === null ? null : isoOf(delivery.delivered_at_ms),
    last_error: delivery.last_error,
    attempt_log: delivery.attempt_log.map((attempt) => ({
      attempt: attempt.attempt,
      url: attempt.url,
      started_at: isoOf(attempt.started_at_ms),
      finished_at: attempt.finished_at_ms === null ? null : isoOf(attempt.finished_at_ms),
      response_status: attempt.response_status,
      error: attempt.error,
    })),
  };
}
