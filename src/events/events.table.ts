/** Table type of the events outbox (`events.ts`). */
import type { Selectable } from 'kysely';

export type EventTable = {
  id: string;
  /** One of `EVENT_TYPES` (`events.ts`). */
  type: string;
  /** The customer account it concerns; null for an operator-wide event. */
  account_id: string | null;
  /** The event's data as JSON text (bigints as integers). */
  payload: string;
  created_at_ms: bigint;
  /** The job (or other resource) the event is about, for `/v3/webhooks/events?entity_id=`. */
  entity_id: string | null;
  /** When webhook deliveries were made for it (`webhooks/dispatch.ts`); null: not yet. */
  dispatched_at_ms: bigint | null;
};

export type EventsTables = { events: EventTable };
export type EventRow = Selectable<EventTable>;
