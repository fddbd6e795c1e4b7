/**
 * Deliveries: one row per event and target, made in a transaction and never lost. A job's
 * `callback_url` delivery is made in the job's own end transaction (`job-events.ts`); endpoint
 * deliveries are fanned out from the events outbox by `dispatchEvents`, which marks each event
 * dispatched in the same transaction, so every event reaches every endpoint subscribed when it
 * was dispatched exactly once. Deliveries that share an `ordering_key` (one endpoint and one
 * job, or one endpoint's billing events) are sent one at a time in event order (`attempts.ts`).
 * Redelivery makes a fresh delivery of an old event, with the event's own id, so a receiver that
 * deduplicates by `webhook-id` sees it once.
 */
import type { TxContext } from '../context.ts';
import { lockRowsSkipLocked } from '../db/dialect.ts';
import type { Event } from '../events/events.ts';
import { DomainError } from '../shared/errors.ts';
import { endpointEvents, newSigningSecret } from './endpoints.ts';
import type { WebhookErrorCode } from './errors.ts';
import type { WebhookEndpointRow } from './webhooks.table.ts';

type EventRef = Pick<Event, 'id' | 'account_id' | 'entity_id' | 'created_at_ms'>;

/** A delivery of `event` to a job's `callback_url`, in the caller's transaction. */
export async function enqueueCallbackDelivery(
  tx: TxContext,
  input: { event: EventRef; callback_url: string },
): Promise<void> {
  const { event } = input;
  if (event.account_id === null) return;
  await callbackSecretOf(tx, event.account_id);
  await insertDelivery(tx, event, {
    endpoint_id: null,
    callback_url: input.callback_url,
    ordering_key: `callback:${event.entity_id ?? event.id}`,
  });
}

/**
 * Fans out up to `limit` undispatched events to their accounts' enabled endpoints, oldest
 * first, and marks them dispatched; returns how many events it took.
 */
export async function dispatchEvents(tx: TxContext, options: { limit: number }): Promise<number> {
  const events = await lockRowsSkipLocked(
    tx.dialect,
    tx.db
      .selectFrom('events')
      .select(['id', 'type', 'account_id', 'entity_id', 'created_at_ms'])
      .where('dispatched_at_ms', 'is', null)
      .orderBy('created_at_ms')
      .orderBy('id')
      .limit(options.limit),
  ).execute();
  const endpointsOf = new Map<string, WebhookEndpointRow[]>();
  for (const event of events) {
    if (event.account_id === null) continue;
    let endpoints = endpointsOf.get(event.account_id);
    if (endpoints === undefined) {
      endpoints = await enabledEndpoints(tx, event.account_id);
      endpointsOf.set(event.account_id, endpoints);
    }
    for (const endpoint of endpoints.filter((row) => subscribes(row, event))) {
      await insertEndpointDelivery(tx, event, endpoint.id);
    }
  }
  if (events.length > 0) {
    await tx.db
      .updateTable('events')
      .set({ dispatched_at_ms: tx.clock.now_ms() })
      .where(
        'id',
        'in',
        events.map((event) => event.id),
      )
      .execute();
  }
  return events.length;
}

/**
 * Sends `event_id` again: to one endpoint of the account, or to every enabled endpoint it
 * subscribes to (and its callback URL, if it had one). `account_id` null: the operator, for any
 * account. Returns the number of deliveries made.
 */
export async function redeliverEvent(
  tx: TxContext,
  input: { event_id: string; account_id: string | null; endpoint_id?: string },
): Promise<number> {
  let query = tx.db.selectFrom('events').selectAll().where('id', '=', input.event_id);
  if (input.account_id !== null) query = query.where('account_id', '=', input.account_id);
  const event = await query.executeTakeFirst();
  if (event === undefined || event.account_id === null) {
    throw new DomainError<WebhookErrorCode>(
      'webhook_event_not_found',
      `Webhook event ${input.event_id} not found.`,
      { param: 'event_id' },
    );
  }
  let endpoints = (await enabledEndpoints(tx, event.account_id)).filter((row) =>
    subscribes(row, event),
  );
  if (input.endpoint_id !== undefined) {
    endpoints = endpoints.filter((row) => row.id === input.endpoint_id);
    if (endpoints.length === 0) {
      throw new DomainError<WebhookErrorCode>(
        'webhook_endpoint_not_found',
        `Webhook endpoint ${input.endpoint_id} is not an enabled endpoint subscribed to it.`,
        { param: 'endpoint_id' },
      );
    }
  }
  for (const endpoint of endpoints) await insertEndpointDelivery(tx, event, endpoint.id);
  const callbacks = input.endpoint_id === undefined ? await callbackUrlsOf(tx, event.id) : [];
  for (const callback_url of callbacks) {
    await enqueueCallbackDelivery(tx, { event, callback_url });
  }
  return endpoints.length + callbacks.length;
}

/** The account's secret for `callback_url` deliveries, made on first use. */
export async function callbackSecretOf(tx: TxContext, account_id: string): Promise<string> {
  await tx.db
    .insertInto('webhook_callback_secrets')
    .values({ account_id, secret: newSigningSecret(tx.ids), created_at_ms: tx.clock.now_ms() })
    .onConflict((conflict) => conflict.column('account_id').doNothing())
    .execute();
  const row = await tx.db
    .selectFrom('webhook_callback_secrets')
    .select('secret')
    .where('account_id', '=', account_id)
    .executeTakeFirstOrThrow();
  return row.secret;
}

async function callbackUrlsOf(tx: TxContext, event_id: string): Promise<string[]> {
  const rows = await tx.db
    .selectFrom('webhook_deliveries')
    .select('callback_url')
    .distinct()
    .where('event_id', '=', event_id)
    .where('callback_url', 'is not', null)
    .execute();
  return rows.map((row) => row.callback_url!);
}

function enabledEndpoints(tx: TxContext, account_id: string) {
  return tx.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('account_id', '=', account_id)
    .where('status', '=', 'enabled')
    .where('deleted_at_ms', 'is', null)
    .execute();
}

function subscribes(
  endpoint: WebhookEndpointRow,
  event: { type: string; entity_id: string | null },
): boolean {
  const types = endpointEvents(endpoint);
  if (types !== null && !types.includes(event.type)) return false;
  return endpoint.entity_id === null || endpoint.entity_id === event.entity_id;
}

function insertEndpointDelivery(tx: TxContext, event: EventRef, endpoint_id: string) {
  return insertDelivery(tx, event, {
    endpoint_id,
    callback_url: null,
    ordering_key: `${endpoint_id}:${event.entity_id ?? 'account'}`,
  });
}

async function insertDelivery(
  tx: TxContext,
  event: EventRef,
  target: { endpoint_id: string | null; callback_url: string | null; ordering_key: string },
): Promise<void> {
  const now = tx.clock.now_ms();
  await tx.db
    .insertInto('webhook_deliveries')
    .values({
      id: tx.ids.newId('whd'),
      event_id: event.id,
      account_id: event.account_id!,
      ...target,
      event_created_at_ms: event.created_at_ms,
      status: 'pending',
      attempts: 0n,
      next_attempt_at_ms: now,
      claim_id: null,
      lease_expires_at_ms: null,
      last_error: null,
      created_at_ms: now,
      delivered_at_ms: null,
    })
    .execute();
}
