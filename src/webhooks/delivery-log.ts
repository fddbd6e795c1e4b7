/**
 * The delivery log: every delivery of an event (to an endpoint or a callback URL) with each of
 * its attempts, oldest first, and an endpoint's latest deliveries (newest first, each with its
 * event's type), for the customer (their own events and endpoints) and the operator (any). The
 * secret behind a signature is never part of it.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import { withTransaction } from '../context.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';
import { callbackSecretOf } from './deliveries.ts';
import type { WebhookErrorCode } from './errors.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow } from './webhooks.table.ts';

/** Most deliveries of one event the log shows (redeliveries included). */
const DELIVERIES_SHOWN_MAX = 100;

export type DeliveryWithAttempts = WebhookDeliveryRow & { attempt_log: WebhookAttemptRow[] };
export type EndpointDelivery = DeliveryWithAttempts & { event_type: string };

/** The deliveries of `event_id` with their attempts; `account_id` null: the operator. */
export async function listEventDeliveries(
  db: Kysely<DB>,
  ref: { event_id: string; account_id: string | null },
): Promise<DeliveryWithAttempts[]> {
  let query = db.selectFrom('events').select('id').where('id', '=', ref.event_id);
  if (ref.account_id !== null) query = query.where('account_id', '=', ref.account_id);
  if ((await query.executeTakeFirst()) === undefined) {
    throw new DomainError<WebhookErrorCode>(
      'webhook_event_not_found',
      `Webhook event ${ref.event_id} not found.`,
      { param: 'event_id' },
    );
  }
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('event_id', '=', ref.event_id)
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(DELIVERIES_SHOWN_MAX)
    .execute();
  return withAttempts(db, deliveries);
}

/**
 * The latest `limit` deliveries to `endpoint_id` (a deleted endpoint's too), newest first, with
 * their attempts and their event's type; `account_id` null: the operator.
 */
export async function listEndpointDeliveries(
  db: Kysely<DB>,
  ref: { endpoint_id: string; account_id: string | null; limit: number },
): Promise<EndpointDelivery[]> {
  let query = db.selectFrom('webhook_endpoints').select('id').where('id', '=', ref.endpoint_id);
  if (ref.account_id !== null) query = query.where('account_id', '=', ref.account_id);
  if ((await query.executeTakeFirst()) === undefined) {
    throw new DomainError<WebhookErrorCode>(
      'webhook_endpoint_not_found',
      `Webhook endpoint ${ref.endpoint_id} not found.`,
      { param: 'endpoint_id' },
    );
  }
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
    .selectAll('webhook_deliveries')
    .select('events.type as event_type')
    .where('webhook_deliveries.endpoint_id', '=', ref.endpoint_id)
    .orderBy('webhook_deliveries.created_at_ms', 'desc')
    .orderBy('webhook_deliveries.event_created_at_ms', 'desc')
    .orderBy('webhook_deliveries.id', 'desc')
    .limit(Math.min(ref.limit, DELIVERIES_SHOWN_MAX))
    .execute();
  return withAttempts(db, deliveries);
}

async function withAttempts<T extends WebhookDeliveryRow>(
  db: Kysely<DB>,
  deliveries: T[],
): Promise<(T & { attempt_log: WebhookAttemptRow[] })[]> {
  if (deliveries.length === 0) return [];
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      deliveries.map((delivery) => delivery.id),
    )
    .orderBy('attempt')
    .execute();
  return deliveries.map((delivery) => ({
    ...delivery,
    attempt_log: attempts.filter((attempt) => attempt.delivery_id === delivery.id),
  }));
}

/** The secret that signs the account's `callback_url` deliveries (made on first use). */
export function getCallbackSecret(ctx: AppContext, account_id: string): Promise<string> {
  return withTransaction(ctx, (tx) => callbackSecretOf(tx, account_id));
}
