/** Table types of webhook endpoints, deliveries, the delivery log and callback secrets. */
import type { Selectable } from 'kysely';

export type WebhookEndpointTable = {
  id: string;
  account_id: string;
  url: string;
  /** JSON array of subscribed event types; null: every type. */
  events_json: string | null;
  /** Only events about this entity (a job id); null: any. */
  entity_id: string | null;
  /** `enabled` | `disabled`. */
  status: string;
  /** `whsec_…`: signs every delivery (Standard Webhooks and `Heygen-Signature`). */
  secret: string;
  /** Failed attempts in a row; a success resets it; the ceiling disables the endpoint. */
  failures_consecutive: bigint;
  disabled_reason: string | null;
  created_at_ms: bigint;
  updated_at_ms: bigint;
  deleted_at_ms: bigint | null;
};

export type WebhookDeliveryTable = {
  id: string;
  event_id: string;
  account_id: string;
  /** The endpoint it goes to; null for a job's `callback_url`. */
  endpoint_id: string | null;
  callback_url: string | null;
  /** Deliveries with one key go out one at a time, in event order (an endpoint, or a job). */
  ordering_key: string;
  event_created_at_ms: bigint;
  /** `pending` | `sending` | `delivered` | `failed` | `cancelled`. */
  status: string;
  attempts: bigint;
  next_attempt_at_ms: bigint;
  /** The claim of the attempt in progress (`sending`), and when another node may take it over. */
  claim_id: string | null;
  lease_expires_at_ms: bigint | null;
  last_error: string | null;
  created_at_ms: bigint;
  delivered_at_ms: bigint | null;
};

export type WebhookAttemptTable = {
  id: string;
  delivery_id: string;
  /** 1 for the first try; (delivery_id, attempt) is unique, so no attempt is made twice. */
  attempt: bigint;
  url: string;
  started_at_ms: bigint;
  finished_at_ms: bigint | null;
  response_status: bigint | null;
  error: string | null;
};

export type WebhookCallbackSecretTable = {
  account_id: string;
  secret: string;
  created_at_ms: bigint;
};

export type WebhooksTables = {
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  webhook_callback_secrets: WebhookCallbackSecretTable;
};
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;
