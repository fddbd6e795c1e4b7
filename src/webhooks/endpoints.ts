/**
 * Webhook endpoints (HeyGen's `/v3/webhooks/endpoints`): a customer's URL, the event types it
 * subscribes to (null: all), and the signing secret, shown when created or rotated. Every read
 * and write is scoped to the caller's account, so one account never sees or changes another's
 * endpoint. Deleting an endpoint cancels its undelivered deliveries; disabling one (by the
 * customer, or by the delivery worker after sustained failure) pauses them. URLs are checked by
 * the caller (`net/outbound.ts`) before they reach here, and again on every delivery.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { DomainError } from '../shared/errors.ts';
import type { Ids } from '../shared/ids.ts';
import type { PageCursor } from '../shared/page-token.ts';
import type { WebhookErrorCode } from './errors.ts';
import { isWebhookEventType } from './event-types.ts';
import type { WebhookEndpointRow } from './webhooks.table.ts';

export type EndpointStatus = 'enabled' | 'disabled';

/** A new signing secret: `whsec_` and 24 random bytes in base64 (Standard Webhooks' format). */
export function newSigningSecret(ids: Ids): string {
  return `whsec_${Buffer.from(ids.newSecret(24), 'base64url').toString('base64')}`;
}

/** Registers an endpoint for `account_id`; its secret is in the returned row. */
export async function createEndpoint(
  tx: TxContext,
  input: { account_id: string; url: string; events: string[] | null; entity_id: string | null },
): Promise<WebhookEndpointRow> {
  const count = await tx.db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<bigint>().as('count'))
    .where('account_id', '=', input.account_id)
    .where('deleted_at_ms', 'is', null)
    .executeTakeFirstOrThrow();
  const max = tx.config.limits.webhook_endpoints_max;
  if (BigInt(count.count) >= BigInt(max)) {
    throw webhookError('webhook_endpoint_limit_reached', `An account may have ${max} endpoints.`);
  }
  const now = tx.clock.now_ms();
  const row: WebhookEndpointRow = {
    id: tx.ids.newId('ep'),
    account_id: input.account_id,
    url: input.url,
    events_json: eventsJson(input.events),
    entity_id: input.entity_id,
    status: 'enabled',
    secret: newSigningSecret(tx.ids),
    failures_consecutive: 0n,
    disabled_reason: null,
    created_at_ms: now,
    updated_at_ms: now,
    deleted_at_ms: null,
  };
  await tx.db.insertInto('webhook_endpoints').values(row).execute();
  return row;
}

/** One page of the account's endpoints, newest first, as `limit + 1` rows. */
export function listEndpoints(
  db: Kysely<DB>,
  page: { account_id: string; limit: number; after: PageCursor | null },
): Promise<WebhookEndpointRow[]> {
  let query = db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('account_id', '=', page.account_id)
    .where('deleted_at_ms', 'is', null);
  if (page.after !== null) query = query.where(olderThanCursor(page.after));
  return query
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/**
 * Changes an endpoint's URL, its event types (replaced whole) or its status. Re-enabling one
 * resets its failure count, so its paused deliveries go out again.
 */
export async function updateEndpoint(
  tx: TxContext,
  input: {
    account_id: string;
    endpoint_id: string;
    url?: string;
    events?: string[] | null;
    status?: EndpointStatus;
  },
): Promise<WebhookEndpointRow> {
  await findEndpoint(tx.db, input);
  const set: Partial<WebhookEndpointRow> = { updated_at_ms: tx.clock.now_ms() };
  if (input.url !== undefined) set.url = input.url;
  if (input.events !== undefined) set.events_json = eventsJson(input.events);
  if (input.status !== undefined) {
    set.status = input.status;
    set.disabled_reason = input.status === 'disabled' ? 'disabled_by_customer' : null;
    if (input.status === 'enabled') set.failures_consecutive = 0n;
  }
  await tx.db
    .updateTable('webhook_endpoints')
    .set(set)
    .where('id', '=', input.endpoint_id)
    .execute();
  return findEndpoint(tx.db, input);
}

/** Deletes an endpoint for good and cancels what it had not yet received. */
export async function deleteEndpoint(
  tx: TxContext,
  input: { account_id: string; endpoint_id: string },
): Promise<void> {
  await findEndpoint(tx.db, input);
  await tx.db
    .updateTable('webhook_endpoints')
    .set({ deleted_at_ms: tx.clock.now_ms(), status: 'disabled', disabled_reason: 'deleted' })
    .where('id', '=', input.endpoint_id)
    .execute();
  await tx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', claim_id: null, lease_expires_at_ms: null })
    .where('endpoint_id', '=', input.endpoint_id)
    .where('status', '=', 'pending')
    .execute();
}

/** A new secret for the endpoint; the old one stops signing at once. */
export async function rotateEndpointSecret(
  tx: TxContext,
  input: { account_id: string; endpoint_id: string },
): Promise<WebhookEndpointRow> {
  await findEndpoint(tx.db, input);
  await tx.db
    .updateTable('webhook_endpoints')
    .set({ secret: newSigningSecret(tx.ids), updated_at_ms: tx.clock.now_ms() })
    .where('id', '=', input.endpoint_id)
    .execute();
  return findEndpoint(tx.db, input);
}

/** The account's live endpoint, or `webhook_endpoint_not_found`. */
export async function findEndpoint(
  db: Kysely<DB>,
  ref: { account_id: string; endpoint_id: string },
): Promise<WebhookEndpointRow> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', ref.endpoint_id)
    .where('account_id', '=', ref.account_id)
    .where('deleted_at_ms', 'is', null)
    .executeTakeFirst();
  if (row === undefined) {
    throw new DomainError<WebhookErrorCode>(
      'webhook_endpoint_not_found',
      `Webhook endpoint ${ref.endpoint_id} not found.`,
      { param: 'endpoint_id' },
    );
  }
  return row;
}

/** The subscribed types of a row; null: every type. */
export function endpointEvents(row: Pick<WebhookEndpointRow, 'events_json'>): string[] | null {
  return row.events_json === null ? null : (JSON.parse(row.events_json) as string[]);
}

function eventsJson(events: string[] | null): string | null {
  if (events === null) return null;
  events.forEach((type, index) => {
    if (!isWebhookEventType(type)) {
      throw new DomainError<WebhookErrorCode>(
        'webhook_event_type_invalid',
        `'${type}' is not a webhook event type (GET /v3/webhooks/event-types lists them).`,
        { param: `events.${index}` },
      );
    }
  });
  return JSON.stringify([...new Set(events)]);
}

function webhookError(code: WebhookErrorCode, message: string): DomainError<WebhookErrorCode> {
  return new DomainError(code, message);
}
