/**
 * How a Video Agent session follows its videos, in the transaction of each video's move (the
 * lifecycle calls `onVideoEvent` through the video product's `onJobEvent`):
 * - a video starts rendering: `thinking → generating`;
 * - a video completes: the agent says so (a `resource` message naming it); a generate session
 *   ends `completed`, a chat session waits for input (`waiting_for_input`) until the customer's
 *   next message, its stop, or the idle close;
 * - a video fails (or its hold expires): the agent says why (an `error` message); a generate
 *   session ends `failed`, a chat session waits for input;
 * - a video is cancelled: only a stop does that, and the stop ends the session itself.
 * Locks: the video's row first, then the session's (stop takes them in the same order).
 */
import type { TxContext } from '../context.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { type JobStatus, jobState, transitionJob } from '../jobs/lifecycle.ts';
import type { JobEvent } from '../products/product.ts';
import { assert } from '../shared/assert.ts';
import { addMessage } from './messages.ts';
import { endSession, isChat, lockSession, sessionVideos, totalsOf } from './session-state.ts';

export const VIDEO_READY_MESSAGE = 'Your video is ready.';
export const CHAT_PROMPT_MESSAGE =
  'Send a message to request a revision or another video, or stop the session.';

export async function onVideoEvent(tx: TxContext, event: JobEvent): Promise<void> {
  if (event.role === 'cancelled') return;
  const video = await tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', event.job_id)
    .executeTakeFirstOrThrow();
  assert(video.parent_id !== null, `agent video ${video.id} belongs to a session`);
  const session = await lockSession(tx, {
    account_id: video.account_id,
    session_id: video.parent_id,
  });
  const status = jobState(session).status as JobStatus<'agent'>;
  if (event.role === 'running') {
    if (status !== 'thinking') return;
    await transitionJob(tx, { kind: 'agent', job_id: session.id, from: status, to: 'generating' });
    return;
  }
  if (status === 'completed' || status === 'failed' || status === 'cancelled') return;
  await followVideoEnd(tx, { session, status, video });
}

/** The video ended (completed or failed): say so; end a generate session, pause a chat one. */
async function followVideoEnd(
  tx: TxContext,
  state: { session: JobRow; status: JobStatus<'agent'>; video: JobRow },
): Promise<void> {
  const { session, status, video } = state;
  const completed = video.status === 'completed';
  const chat = isChat(session);
  await addMessage(tx, {
    session_id: session.id,
    role: 'model',
    type: completed ? 'resource' : 'error',
    content: completed
      ? `${VIDEO_READY_MESSAGE}${chat ? ` ${CHAT_PROMPT_MESSAGE}` : ''}`
      : `The video failed: ${video.failure_message ?? 'unknown error'} It was not charged.`,
    ...(completed ? { resource_ids: [video.id] } : {}),
  });
  if (!chat) {
    const failure = {
      failure_code: video.failure_code ?? 'render_failed',
      failure_message: video.failure_message ?? 'The video failed.',
    };
    await endSession(tx, session, { message: null, failure });
    return;
  }
  const totals = totalsOf(await sessionVideos(tx.db, session.id));
  await transitionJob(tx, {
    kind: 'agent',
    job_id: session.id,
    from: status,
    to: 'waiting_for_input',
    set: {
      charged_amount_micro_usd: totals.charged_micro_usd,
      duration_ms: totals.duration_ms,
      // While it waits, `ready_at_ms` is when the idle close ends it (`idle.ts`).
      ready_at_ms: tx.clock.now_ms() + tx.config.limits.agent_session_idle_ms,
    },
  });
}
