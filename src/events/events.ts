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
import { prepareQuery } from '../db/prepared.ts';
import { assert } from '../shared/assert.ts';
import { stringifyJson } from '../shared/json.ts';
import type { PageCursor } from '../shared/page-token.ts';
import type { EventRow } from './events.table.ts';

/**
 * Every event type: job outcomes in HeyGen's names (written with the job's end,
 * `webhooks/job-events.ts`), Tollgate's billing events, and the webhook system's own.
 */
export const EVENT_TYPES = [
  'avatar_video.success',
  'avatar_video.fail',
  'video_translate.success',
  'video_translate.fail',
  'proofread_creation.success',
  'proofread_creation.fail',
  'video_agent.success',
  'video_agent.fail',
  'instant_avatar.success',
  'instant_avatar.fail',
  'photo_avatar_train.success',
  'photo_avatar_train.fail',
  'photo_avatar_generation.success',
  'photo_avatar_generation.fail',
  'lipsync.success',
  'lipsync.fail',
  'webhook_endpoint.disabled',
  'balance.low',
  'top_up.credited',
  'top_up.reversed',
  'auto_reload.succeeded',
  'auto_reload.failed',
  'auto_reload.disabled',
  'grant.expired',
  'adjustment.applied',
  'credits.reset',
  'spending_cap.reached',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type Event = {
  id: string;
  type: EventType;
  account_id: string | null;
  payload: Record<string, unknown>;
  created_at_ms: bigint;
  /** The job (or other resource) the event is about; null if none. */
  entity_id: string | null;
};

/** Largest page a caller may ask for (the HTTP edge caps lower, at `page_size_max`). */
const EVENT_PAGE_SIZE_MAX = 1_000;

/** Built once (`db/prepared.ts`): every job's end records an event. */
const INSERT_EVENT = prepareQuery((db, _dialect, p: Omit<EventRow, 'dispatched_at_ms'>) =>
  db.insertInto('events').values({
    id: p.id,
    type: p.type,
    account_id: p.account_id,
    entity_id: p.entity_id,
    payload: p.payload,
    created_at_ms: p.created_at_ms,
  }),
);

/** Records an event in the caller's transaction and returns it. */
export async function recordEvent(
  tx: TxContext,
  input: {
    type: EventType;
    account_id: string | null;
    payload: Record<string, unknown>;
    entity_id?: string | null;
  },
): Promise<Event> {
  const event: Event = {
    id: tx.ids.newId('evt'),
    ...input,
    entity_id: input.entity_id ?? null,
    created_at_ms: tx.clock.now_ms(),
  };
  await INSERT_EVENT.execute(tx.db, { ...event, payload: stringifyJson(event.payload) });
  return event;
}

function toEvent(row: EventRow): Event {
  assert((EVENT_TYPES as readonly string[]).includes(row.type), `event ${row.id} has a known type`);
  return {
    id: row.id,
    type: row.type as EventType,
    account_id: row.account_id,
    payload: JSON.parse(row.payload),
    created_at_ms: row.created_at_ms,
    entity_id: row.entity_id,
  };
}

/** One page of an account's events, newest first, as `limit + 1` rows (more follow if so). */
export async function listAccountEvents(
  db: Kysely<DB>,
  account_id: string,
  page: { limit: number; after: PageCursor | null; type?: EventType; entity_id?: string },
): Promise<Event[]> {
  assert(page.limit >= 1 && page.limit <= EVENT_PAGE_SIZE_MAX, 'event page limit in range');
  let query = db.selectFrom('events').selectAll().where('account_id', '=', account_id);
  if (page.type !== undefined) query = query.where('type', '=', page.type);
  if (page.entity_id !== undefined) query = query.where('entity_id', '=', page.entity_id);
  if (page.after !== null) query = query.where(olderThanCursor(page.after));
  const rows = await query
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toEvent);
}
