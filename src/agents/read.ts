/**
 * Reading Video Agent sessions: one session with its recent messages and its videos, and a
 * session's videos alone. Another account's session, or an id of another kind, is
 * `job_not_found` naming `session_id`.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { getJob } from '../jobs/jobs.ts';
import type { AgentMessageRow } from './agents.table.ts';
import { recentMessages } from './messages.ts';
import type { SessionRef } from './session-state.ts';
import { sessionVideos } from './session-state.ts';

export type SessionView = { session: JobRow; messages: AgentMessageRow[]; videos: JobRow[] };

export async function readSession(db: Kysely<DB>, ref: SessionRef): Promise<SessionView> {
  const session = await getJob(db, { ...ref, kind: 'agent', job_id: ref.session_id });
  const [messages, videos] = await Promise.all([
    recentMessages(db, session.id),
    sessionVideos(db, session.id),
  ]);
  return { session, messages, videos };
}

/** The session's videos, newest first. */
export async function listSessionVideos(db: Kysely<DB>, ref: SessionRef): Promise<JobRow[]> {
  const session = await getJob(db, { ...ref, kind: 'agent', job_id: ref.session_id });
  return sessionVideos(db, session.id);
}
