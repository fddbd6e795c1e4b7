/**
 * The customer's writes to Video Agent sessions, each run in the caller's transaction (the HTTP
 * edge runs each as one group-commit unit with its idempotent response):
 * - `createSession`: admits the session (its concurrency slot, no hold) and its first video (its
 *   own hold, sized from the prompt) together, with the prompt as the first message;
 * - `sendMessage` (chat sessions waiting for input only): admits the next video, with its own
 *   hold sized from the message, and moves the session back to `thinking`;
 * - `stopSession`: cancels the video in flight (its hold voided: it costs nothing) and ends the
 *   session; the videos it finished stay charged.
 * A request that fails any check (402, 409, 429, …) writes nothing.
 */

import type { BillingPool, Credential } from '../billing/pools.ts';
import type { TxContext } from '../context.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { isInFlight, transitionJob } from '../jobs/lifecycle.ts';
import { endJob, releaseHold } from '../jobs/settle.ts';
import { admitJob } from '../jobs/submit.ts';
import {
  AGENT_SESSION_PRODUCT,
  AGENT_VIDEO_PRODUCT,
  AGENT_VIDEOS_PER_SESSION_MAX,
  type AgentFile,
  type CreateAgentInput,
} from '../products/agent.ts';
import { agentError } from './errors.ts';
import { addMessage } from './messages.ts';
import {
  endSession,
  isChat,
  lockSession,
  lockVideosInFlight,
  type SessionRef,
  sessionInput,
  sessionVideos,
} from './session-state.ts';

export const STOPPED_FAILURE = {
  failure_code: 'session_stopped',
  failure_message: 'The session was stopped before it finished a video; it was not charged.',
} as const;

/** Admits a session and its first video. */
export async function createSession(
  tx: TxContext,
  request: { account_id: string; input: CreateAgentInput; credential?: Credential | null },
): Promise<JobRow> {
  const { account_id, input } = request;
  const spec = await AGENT_SESSION_PRODUCT.parse(input, { db: tx.db, account_id });
  const session = await admitJob(tx, {
    product: AGENT_SESSION_PRODUCT,
    account_id,
    input,
    spec,
    credential: request.credential ?? null,
  });
  await addMessage(tx, {
    session_id: session.id,
    role: 'user',
    type: 'text',
    content: input.prompt,
  });
  await admitVideo(tx, session, { prompt: input.prompt });
  return session;
}

/** What a message may change for the video it asks for (API.md §5.2). */
export type MessageInput = {
  message: string;
  avatar_id?: string | null;
  voice_id?: string | null;
  brand_kit_id?: string | null;
  files?: AgentFile[] | null;
};

/**
 * Sends a message to a chat session waiting for input: the next video is admitted (its hold
 * sized from the message) and the session thinks again. Returns the session and that video.
 */
export async function sendMessage(
  tx: TxContext,
  request: SessionRef & { input: MessageInput },
): Promise<{ session: JobRow; video: JobRow }> {
  const session = await lockSession(tx, request);
  checkAcceptsMessage(session);
  const made = (await sessionVideos(tx.db, session.id)).length;
  if (made >= AGENT_VIDEOS_PER_SESSION_MAX) {
    throw agentError(
      'agent_video_limit_reached',
      `A session makes at most ${AGENT_VIDEOS_PER_SESSION_MAX} videos; start a new session.`,
      'message',
    );
  }
  const { message, ...overrides } = request.input;
  await transitionJob(tx, {
    kind: 'agent',
    job_id: session.id,
    from: 'waiting_for_input',
    to: 'thinking',
    set: { ready_at_ms: null },
  });
  await addMessage(tx, { session_id: session.id, role: 'user', type: 'text', content: message });
  const video = await admitVideo(tx, session, { ...withoutNulls(overrides), prompt: message });
  return { session, video };
}

function checkAcceptsMessage(session: JobRow): void {
  const id = session.id;
  if (!isChat(session)) {
    throw agentError(
      'agent_session_not_chat',
      `Session ${id} was created in generate mode; messages are only valid for sessions created in chat mode.`,
      'mode',
    );
  }
  if (!isInFlight(session.kind, session.status)) {
    throw agentError('agent_session_ended', `Session ${id} has ended (${session.status}).`, null);
  }
  if (session.status !== 'waiting_for_input') {
    throw agentError(
      'agent_session_busy',
      `Session ${id} is ${session.status}; send a message once it is waiting_for_input.`,
      null,
    );
  }
}

/** Stops the session: its video in flight is cancelled for free, and the session ends. */
export async function stopSession(tx: TxContext, ref: SessionRef): Promise<JobRow> {
  // Video rows before the session's, as the worker locks them (`session-events.ts`).
  const videos = await lockVideosInFlight(tx, ref);
  const session = await lockSession(tx, ref);
  if (!isInFlight(session.kind, session.status)) {
    throw agentError('agent_session_ended', `Session ${session.id} has already ended.`, null);
  }
  for (const video of videos) {
    const cancelled = await endJob(tx, video, 'cancelled', {
      charged_amount_micro_usd: 0n,
      failure_code: 'cancelled',
      failure_message: 'The session was stopped before this video finished; it was not charged.',
    });
    if (cancelled) await releaseHold(tx, video);
  }
  await endSession(tx, session, { message: 'Session stopped.', failure: STOPPED_FAILURE });
  return session;
}

/** Admits the session's next video: the session's settings, this run's prompt and overrides. */
async function admitVideo(
  tx: TxContext,
  session: JobRow,
  run: Partial<CreateAgentInput> & { prompt: string },
): Promise<JobRow> {
  const input: CreateAgentInput = {
    ...sessionInput(session),
    ...run,
    title: session.title,
    // The session reports to the customer's callback, not each of its videos.
    callback_url: null,
    callback_id: null,
  };
  const account_id = session.account_id;
  const spec = await AGENT_VIDEO_PRODUCT.parse(input, { db: tx.db, account_id });
  return admitJob(tx, {
    product: AGENT_VIDEO_PRODUCT,
    account_id: session.account_id,
    input,
    spec,
    parent_id: session.id,
    // A session's videos pay where the session was admitted, with the key that admitted it.
    billing_pool: session.billing_pool as BillingPool,
    credential:
      session.api_key_id === null ? null : { kind: 'api_key', api_key_id: session.api_key_id },
  });
}

function withoutNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null && field !== undefined),
  ) as Partial<T>;
}
