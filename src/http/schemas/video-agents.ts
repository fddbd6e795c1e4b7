/**
 * Wire schemas of the Video Agent routes (API.md §5): the bodies of `POST /v3/video-agents`
 * (also a body of `POST /billing/v1/quote?product=video-agents`) and of a message, path and list
 * parameters, and HeyGen's session resources. Rules between fields are the product's
 * (`products/agent.ts`); Tollgate's `billing` sits beside HeyGen's fields.
 */
import { type Static, Type } from 'typebox';
import type { AgentMessageRow } from '../../agents/agents.table.ts';
import type { SessionView } from '../../agents/read.ts';
import type { MessageInput } from '../../agents/sessions.ts';
import type { JobRow } from '../../jobs/jobs.table.ts';
import {
  AGENT_DURATION_SEC_MAX,
  AGENT_DURATION_SEC_MIN,
  AGENT_FILES_MAX,
  AGENT_PROMPT_CHARS_MAX,
  type CreateAgentInput,
} from '../../products/agent.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { ID, URL } from './bounds.ts';
import { nullableBoolean, nullableEnum, nullableInteger, nullableString } from './nullable.ts';

const AssetInputSchema = Type.Object({
  type: Type.Enum(['url', 'asset_id', 'base64']),
  url: Type.Optional(Type.String(URL)),
  asset_id: Type.Optional(Type.String(ID)),
  media_type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  data: Type.Optional(Type.String({ minLength: 1, maxLength: 65_536 })),
});

const Files = Type.Optional(
  Type.Unsafe<Static<typeof AssetInputSchema>[] | null>({
    type: ['array', 'null'],
    items: AssetInputSchema,
    maxItems: AGENT_FILES_MAX,
  }),
);

const Text = Type.String({ minLength: 1, maxLength: AGENT_PROMPT_CHARS_MAX });

export const CreateVideoAgentBody = Type.Object({
  prompt: Text,
  mode: Type.Optional(Type.Enum(['generate', 'chat'], { default: 'generate' })),
  avatar_id: nullableString(ID),
  voice_id: nullableString(ID),
  style_id: nullableString(ID),
  brand_kit_id: nullableString(ID),
  orientation: nullableEnum(['landscape', 'portrait']),
  files: Files,
  callback_url: nullableString(URL),
  callback_id: nullableString({ maxLength: 255 }),
  incognito_mode: Type.Optional(Type.Boolean({ default: false })),
  auto_proceed: Type.Optional(Type.Boolean({ default: false })),
  skip_agentic_stop: Type.Optional(Type.Boolean({ default: false })),
  /** Tollgate extension (HeyGen's v1 Video Agent field): each video's requested length. */
  duration_sec: nullableInteger({
    minimum: AGENT_DURATION_SEC_MIN,
    maximum: AGENT_DURATION_SEC_MAX,
  }),
  test: nullableBoolean(),
});

// The wire schema and the domain's input type must describe the same body.
export type CreateVideoAgentBody = Static<typeof CreateVideoAgentBody>;
export const toCreateAgentInput = (body: CreateVideoAgentBody): CreateAgentInput => body;

export const SendMessageBody = Type.Object({
  message: Text,
  avatar_id: nullableString(ID),
  voice_id: nullableString(ID),
  brand_kit_id: nullableString(ID),
  files: Files,
});
export type SendMessageBody = Static<typeof SendMessageBody>;
export const toMessageInput = (body: SendMessageBody): MessageInput => body;

export const SessionIdParams = Type.Object({ session_id: Type.String(ID) });

export function listSessionsQuery(limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: 20 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  });
}

export type SessionStatus =
  | 'thinking'
  | 'waiting_for_input'
  | 'reviewing'
  | 'generating'
  | 'completed'
  | 'failed';

const toUnixSeconds = (instant_ms: bigint) => Number(instant_ms / 1000n);

// Sessions are never deleted, so never cancelled; failed is the nearest word all the same.
const sessionStatus = (session: JobRow) =>
  (session.status === 'cancelled' ? 'failed' : session.status) as SessionStatus;

/** The progress of the session's current run, by status (docs/products.md). */
const PROGRESS: Record<SessionStatus, number> = {
  thinking: 10,
  reviewing: 25,
  generating: 50,
  waiting_for_input: 100,
  completed: 100,
  failed: 100,
};

export function toSessionCreated(session: JobRow) {
  return {
    session_id: session.id,
    status: sessionStatus(session),
    created_at: toUnixSeconds(session.created_at_ms),
    // Populated once the agent begins rendering (API.md §5.1).
    video_id: null,
  };
}

/** The latest video the agent began rendering, if any (`videos` newest first). */
function currentVideoId(videos: readonly JobRow[]): string | null {
  return videos.find((video) => video.status !== 'pending')?.id ?? null;
}

export function toSessionDetail(view: SessionView) {
  const { session, messages, videos } = view;
  const status = sessionStatus(session);
  return {
    session_id: session.id,
    status,
    progress: PROGRESS[status],
    title: session.title,
    video_id: currentVideoId(videos),
    created_at: toUnixSeconds(session.created_at_ms),
    messages: messages.map(toMessage),
    billing: toSessionBilling(session, videos),
  };
}

function toMessage(message: AgentMessageRow) {
  return {
    role: message.role,
    content: message.content,
    type: message.type as 'text' | 'resource' | 'error',
    created_at: toUnixSeconds(message.created_at_ms),
    resource_ids:
      message.resource_ids_json === null
        ? null
        : (JSON.parse(message.resource_ids_json) as string[]),
  };
}

/** What the session's videos hold and were charged: each video is its own hold and charge. */
function toSessionBilling(session: JobRow, videos: readonly JobRow[]) {
  let charged = 0n;
  let held = 0n;
  for (const video of videos) {
    charged += video.charged_amount_micro_usd ?? 0n;
    if (video.charged_amount_micro_usd === null) held += video.hold_amount_micro_usd;
  }
  return {
    test: session.test === 1n,
    rate_card_version: session.rate_card_version,
    sku: session.sku,
    videos: videos.length,
    held_amount_micro_usd: held,
    held_amount_usd: formatMicroUsd(held),
    charged_amount_micro_usd: charged,
    charged_usd: formatMicroUsd(charged),
  };
}

export function toSessionListItem(session: JobRow) {
  return {
    session_id: session.id,
    created_at: toUnixSeconds(session.created_at_ms),
    title: session.title,
  };
}
