/**
 * Video Agent (`/v3/video-agents`, API.md §5) as two products. A session (kind `agent`) is a
 * container job: it takes the account's concurrency slot while in flight, holds nothing, and is
 * moved by its videos, messages and stop (`src/agents/`). Each video it makes (kind
 * `agent_video`) is a job of its own: admitted with its own hold, rendered by the engine's
 * `runAgent`, charged $0.0333 per second of its output or voided, through the one lifecycle.
 * A video's hold is sized from its prompt's (or message's) duration marker, else the requested
 * `duration_sec`, else the 300 s maximum per video (docs/estimates.md).
 */
import { closeIdleSessions } from '../agents/idle.ts';
import { onVideoEvent } from '../agents/session-events.ts';
import { requireVoice } from '../catalog/voices.ts';
import type { AgentInput } from '../engines/inputs.ts';
import { jobError } from '../jobs/errors.ts';
import { assert } from '../shared/assert.ts';
import type { JobFacts, Product } from './product.ts';

/** Tollgate's documented maximum length of one Video Agent video: what an unsized video holds. */
export const AGENT_VIDEO_DURATION_MS_MAX = 300_000n;
export const AGENT_DURATION_SEC_MIN = 5;
export const AGENT_DURATION_SEC_MAX = 300;
export const AGENT_PROMPT_CHARS_MAX = 10_000;
export const AGENT_FILES_MAX = 20;
/** How many videos one session may make (its first and its follow-ups). */
export const AGENT_VIDEOS_PER_SESSION_MAX = 10;
const TITLE_CHARS_MAX = 80;

export type AgentMode = 'generate' | 'chat';

export type AgentFile = {
  type: 'url' | 'asset_id' | 'base64';
  url?: string;
  asset_id?: string;
  media_type?: string;
  data?: string;
};

/** The body of `POST /v3/video-agents`; each video's input is this with its own prompt. */
export type CreateAgentInput = AgentInput & {
  mode?: AgentMode | null;
  avatar_id?: string | null;
  voice_id?: string | null;
  style_id?: string | null;
  brand_kit_id?: string | null;
  orientation?: 'landscape' | 'portrait' | null;
  files?: AgentFile[] | null;
  callback_url?: string | null;
  callback_id?: string | null;
  incognito_mode?: boolean;
  /** Tollgate extension: a free test session; its videos hold and charge nothing. */
  test?: boolean | null;
};

export type AgentSpec = { mode: AgentMode; test: boolean };

/** The rules between fields: each file has its type's field; a voice is from the catalog. */
export function parseAgentInput(input: CreateAgentInput): AgentSpec {
  for (const [index, file] of (input.files ?? []).entries()) checkFile(file, `files.${index}`);
  if (typeof input.voice_id === 'string') requireVoice(input.voice_id, { param: 'voice_id' });
  return { mode: input.mode ?? 'generate', test: input.test === true };
}

function checkFile(file: AgentFile, param: string): void {
  const fields = file.type === 'base64' ? (['media_type', 'data'] as const) : [file.type];
  for (const field of fields) {
    if (typeof file[field] !== 'string' || file[field] === '') {
      throw jobError(
        'invalid_job_request',
        `${param} of type '${file.type}' needs ${field}.`,
        `${param}.${field}`,
      );
    }
  }
}

/** The session's title: its first prompt, without simulator markers, on one line, shortened. */
export function sessionTitle(prompt: string): string {
  const plain = prompt
    .replace(/\[simulate:[^\]]*\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...plain];
  if (chars.length === 0) return 'Video Agent session';
  return chars.length <= TITLE_CHARS_MAX
    ? plain
    : `${chars.slice(0, TITLE_CHARS_MAX - 1).join('')}…`;
}

const estimateVideo: Product<CreateAgentInput, AgentSpec>['estimate'] = ({ input }, engine) => {
  const probed = engine.probeDurationMs({ type: 'text', text: input.prompt });
  if (probed !== null) return { duration_ms: probed, rule: 'probed_source_duration' };
  if (typeof input.duration_sec === 'number') {
    return { duration_ms: BigInt(input.duration_sec) * 1000n, rule: 'requested_duration' };
  }
  return { duration_ms: AGENT_VIDEO_DURATION_MS_MAX, rule: 'agent_video_limit_300_s' };
};

const facts = (input: CreateAgentInput, spec: AgentSpec): JobFacts => ({
  title: input.title ?? sessionTitle(input.prompt),
  callback_url: input.callback_url ?? null,
  callback_id: input.callback_id ?? null,
  test: spec.test,
  output_format: 'mp4',
});

/** One video of a session: its own hold and charge. */
export const AGENT_VIDEO_PRODUCT: Product<CreateAgentInput, AgentSpec> = {
  kind: 'agent_video',
  id_prefix: 'video',
  noun: 'Video',
  id_param: 'video_id',
  parse: parseAgentInput,
  facts,
  usage: () => ({ product: 'video_agent' }),
  estimate: estimateVideo,
  render: (engine, job) => engine.runAgent(job),
  onJobEvent: onVideoEvent,
};

/** The session: a container of videos; its quote is its first video's. */
export const AGENT_SESSION_PRODUCT: Product<CreateAgentInput, AgentSpec> = {
  kind: 'agent',
  id_prefix: 'sess',
  noun: 'Session',
  id_param: 'session_id',
  parse: parseAgentInput,
  facts,
  usage: () => ({ product: 'video_agent' }),
  estimate: estimateVideo,
  render: () => {
    assert(false, 'a session is moved by its videos, never rendered');
  },
  container: true,
  sweep: closeIdleSessions,
};
