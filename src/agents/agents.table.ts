/** Table types of Video Agent sessions' conversations (a session itself is a job row). */
import type { Selectable } from 'kysely';

export type AgentMessageTable = {
  id: string;
  /** The session's job id. */
  session_id: string;
  /** 1, 2, … in the session: the conversation's order (writers hold the session's row lock). */
  seq: bigint;
  /** `user` (the customer's prompt and messages) or `model` (the agent's replies). */
  role: string;
  /** `text`, `resource` (names a video in `resource_ids_json`) or `error`. */
  type: string;
  content: string;
  /** JSON array of the ids the message refers to (a finished video), or null. */
  resource_ids_json: string | null;
  created_at_ms: bigint;
};

export type AgentsTables = { agent_messages: AgentMessageTable };
export type AgentMessageRow = Selectable<AgentMessageTable>;
