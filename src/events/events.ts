/**
 * The events outbox: `recordEvent` writes one event in the caller's transaction, so the event
 * commits exactly when the change it reports does (never one without the other). Readers list an
 * account's events newest first with keyset pages. Delivery (webhooks) reads from here; this
 * module only records and lists. Event types are a closed list so a typo cannot invent one.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { assert } from '../shared/assert.ts';
import { stringifyJson } from '../shared/json.ts';
import type { PageCursor } from '../shared/page-token.ts';
import type { EventRow } from './events.table.ts';

/** Billing events of Tollgate's own; product events (a video finished) join when webhooks do. */
export const EVENT_TYPES = [
  'balance.low',
  'top_up.credited',
  'top_up.reversed',
  'auto_reload.succeeded',
  'auto_reload.failed',
  'auto_reload.disabled',
  'grant.expired',
  'adjustment.applied',
  'credits.reset',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type Event = {
  id: string;
  type: EventType;
  account_id: string | null;
  payload: Record<string, unknown>;
  created_at_ms: bigint;
};

/** Largest page a caller may ask for (the HTTP edge caps lower, at `page_size_max`). */
const EVENT_PAGE_SIZE_MAX = 1_000;

/** Records an event in the caller's transaction and returns it. */
export async function recordEvent(
  tx: TxContext,
  input: { type: EventType; account_id: string | null; payload: Record<string, unknown> },
): Promise<Event> {
  const event: Event = { id: tx.ids.newId('evt'), ...input, created_at_ms: tx.clock.now_ms() };
  await tx.db
    .insertInto('events')
    .values({ ...event, payload: stringifyJson(event.payload) })
    .execute();
  return event;
}

function toEvent(row: EventRow): Event {
  assert((EVENT_TYPES as readonly string[]).includes(row.type), `event ${row.id} has a known type`);
  return { ...row, type: row.type as EventType, payload: JSON.parse(row.payload) };
}

/** One page of an account's events, newest first, as `limit + 1` rows (more follow if so). */
export async function listAccountEvents(
  db: Kysely<DB>,
  account_id: string,
  page: { limit: number; after: PageCursor | null; type?: EventType },
): Promise<Event[]> {
  assert(page.limit >= 1 && page.limit <= EVENT_PAGE_SIZE_MAX, 'event page limit in range');
  let query = db.selectFrom('events').selectAll().where('account_id', '=', account_id);
  if (page.type !== undefined) query = query.where('type', '=', page.type);
  if (page.after !== null) query = query.where(olderThanCursor(page.after));
  const rows = await query
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toEvent);
}
