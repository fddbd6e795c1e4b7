/**
 * What every move of a Video Agent session shares: locking its row, reading its videos (child
 * jobs) and their totals, and ending it. A session ends `completed` when it finished at least one
 * video and `failed` otherwise; either way it is charged exactly what its videos were (each
 * settled or voided on its own), and it ends only after no video of it is in flight, so no hold
 * outlives it.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { jobNotFound } from '../jobs/jobs.ts';
import { IN_FLIGHT_STATUSES, isInFlight } from '../jobs/lifecycle.ts';
import { endJob } from '../jobs/settle.ts';
import type { CreateAgentInput } from '../products/agent.ts';
import { assert } from '../shared/assert.ts';
import { addMessage } from './messages.ts';

export type SessionRef = { account_id: string; session_id: string };

/** The account's session, its row locked; `job_not_found` naming `session_id` otherwise. */
export async function lockSession(tx: TxContext, ref: SessionRef): Promise<JobRow> {
  const query = tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', ref.session_id)
    .where('account_id', '=', ref.account_id)
    .where('kind', '=', 'agent')
    .where('deleted_at_ms', 'is', null);
  const session = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (session === undefined) throw jobNotFound('agent', ref.session_id);
  return session;
}

/** The request the session was created with (its mode, settings and first prompt). */
export function sessionInput(session: Pick<JobRow, 'request_json'>): CreateAgentInput {
  return JSON.parse(session.request_json) as CreateAgentInput;
}

export function isChat(session: Pick<JobRow, 'request_json'>): boolean {
  return sessionInput(session).mode === 'chat';
}

/** The session's videos, newest first (at most `AGENT_VIDEOS_PER_SESSION_MAX`). */
export function sessionVideos(db: Kysely<DB>, session_id: string): Promise<JobRow[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('parent_id', '=', session_id)
    .where('kind', '=', 'agent_video')
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The session's videos still in flight, their rows locked (at most one: one run at a time). */
export function lockVideosInFlight(tx: TxContext, ref: SessionRef): Promise<JobRow[]> {
  const query = tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('parent_id', '=', ref.session_id)
    .where('account_id', '=', ref.account_id)
    .where('kind', '=', 'agent_video')
    .where('status', 'in', IN_FLIGHT_STATUSES);
  return lockRowsForUpdate(tx.dialect, query).execute();
}

export type SessionTotals = { completed: number; charged_micro_usd: bigint; duration_ms: bigint };

/** What the session's videos made and were charged, so far. */
export function totalsOf(videos: readonly JobRow[]): SessionTotals {
  let completed = 0;
  let charged_micro_usd = 0n;
  let duration_ms = 0n;
  for (const video of videos) {
    charged_micro_usd += video.charged_amount_micro_usd ?? 0n;
    if (video.status !== 'completed') continue;
    completed++;
    duration_ms += video.duration_ms ?? 0n;
  }
  return { completed, charged_micro_usd, duration_ms };
}

/**
 * Ends the locked, in-flight session whose videos have all ended: `completed` if one finished,
 * else `failed` with `failure`. Records the agent's last word, if any. Returns whether it applied.
 */
export async function endSession(
  tx: TxContext,
  session: JobRow,
  ending: {
    message: string | null;
    failure: { failure_code: string; failure_message: string };
  },
): Promise<boolean> {
  const videos = await sessionVideos(tx.db, session.id);
  const totals = totalsOf(videos);
  assert(
    videos.every((video) => !isInFlight(video.kind, video.status)),
    `session ${session.id} ends after its videos`,
  );
  const role = totals.completed > 0 ? 'completed' : 'failed';
  const applied = await endJob(tx, session, role, {
    charged_amount_micro_usd: totals.charged_micro_usd,
    duration_ms: totals.duration_ms,
    ready_at_ms: null,
    ...(role === 'failed' ? ending.failure : {}),
  });
  if (applied && ending.message !== null) {
    await addMessage(tx, {
      session_id: session.id,
      role: 'model',
      type: role === 'failed' ? 'error' : 'text',
      content: ending.message,
    });
  }
  return applied;
}
