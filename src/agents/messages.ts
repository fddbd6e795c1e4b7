/**
 * A Video Agent session's conversation: the customer's prompt and messages and the agent's
 * replies, append-only. Reads return HeyGen's window: the newest 40, newest first.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { stringifyJson } from '../shared/json.ts';
import type { AgentMessageRow } from './agents.table.ts';

/** HeyGen's window of recent messages in `GET /v3/video-agents/{session_id}`. */
export const SESSION_MESSAGES_SHOWN_MAX = 40;

export type NewMessage = {
  session_id: string;
  role: 'user' | 'model';
  type: 'text' | 'resource' | 'error';
  content: string;
  resource_ids?: string[];
};

/** Appends a message; the caller holds the session's row lock (so `seq` is the next one). */
export async function addMessage(tx: TxContext, message: NewMessage): Promise<void> {
  const { resource_ids, ...rest } = message;
  const last = await tx.db
    .selectFrom('agent_messages')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('session_id', '=', message.session_id)
    .executeTakeFirst();
  await tx.db
    .insertInto('agent_messages')
    .values({
      ...rest,
      id: tx.ids.newId('msg'),
      seq: BigInt(last?.seq ?? 0n) + 1n,
      resource_ids_json: resource_ids === undefined ? null : stringifyJson(resource_ids),
      created_at_ms: tx.clock.now_ms(),
    })
    .execute();
}

/** The session's newest messages, newest first. */
export function recentMessages(db: Kysely<DB>, session_id: string): Promise<AgentMessageRow[]> {
  return db
    .selectFrom('agent_messages')
    .selectAll()
    .where('session_id', '=', session_id)
    .orderBy('seq', 'desc')
    .limit(SESSION_MESSAGES_SHOWN_MAX)
    .execute();
}
