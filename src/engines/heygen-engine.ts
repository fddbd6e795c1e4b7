/**
 * The `heygen` engine (resale): each job is forwarded to a HeyGen-compatible upstream
 * (`TOLLGATE_UPSTREAM_URL`, HeyGen or another Tollgate) with the operator's key
 * (`TOLLGATE_UPSTREAM_API_KEY` as `x-api-key`) and the job id as its `Idempotency-Key`, so a
 * hand-over retried after a crash creates one upstream job. The upstream's id is stored
 * (`engine_jobs.upstream_id`) and the job is followed by polling its detail call with backoff
 * (the wait grows with the job's age: half of it, between `engine_poll_interval_ms` and
 * `engine_poll_interval_ms_max`). It settles on the upstream's reported `duration`, with the
 * upstream's URLs; the upstream's own charge for the job (a Tollgate upstream's
 * `billing.charged_amount_micro_usd`) is recorded beside the customer's price for the margin
 * report. The upstream refusing a job (a 4xx on create) fails it, costing the customer nothing.
 */
import type { AppContext } from '../context.ts';
import type {
  EngineJob,
  EngineReport,
  RemoteEngine,
  RenderJob,
  RenderResult,
  SpeechResult,
} from './engine.ts';
import { AGENT_VIDEO_ROUTE, UPSTREAM_ROUTES, type UpstreamRoute } from './heygen-routes.ts';
import type { SpeechInput } from './inputs.ts';
import {
  callRemote,
  fieldOf,
  forwardedRequest,
  isTransientStatus,
  type RemoteAnswer,
  secondsToMs,
} from './remote-call.ts';

export const HEYGEN_ENGINE: RemoteEngine = {
  name: 'heygen',
  mode: 'remote',
  probeDurationMs: () => null,
  start: forwardJob,
  poll: followJob,
  synthesizeSpeech: speakUpstream,
};

function callUpstream(
  ctx: AppContext,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown; idempotency_key?: string },
): Promise<RemoteAnswer> {
  const upstream = ctx.config.engines.upstream;
  if (upstream === null) throw new Error('the heygen engine has no TOLLGATE_UPSTREAM_URL');
  const headers: Record<string, string> = { 'x-api-key': upstream.api_key };
  if (request.idempotency_key !== undefined) headers['idempotency-key'] = request.idempotency_key;
  return callRemote(ctx, {
    url: `${upstream.url}${request.path}`,
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
}

function routeOf(kind: string): UpstreamRoute | null {
  return Object.hasOwn(UPSTREAM_ROUTES, kind) ? UPSTREAM_ROUTES[kind]! : null;
}

const failed = (failure_code: string, failure_message: string): EngineReport => ({
  state: 'ended',
  result: { outcome: 'failed', failure_code, failure_message },
});

async function forwardJob(ctx: AppContext, job: EngineJob): Promise<EngineReport> {
  const route = routeOf(job.kind);
  if (route === null)
    return failed('engine_unsupported', `The upstream does not render ${job.kind}.`);
  const answer = await callUpstream(ctx, {
    method: 'POST',
    path: route.create_path,
    body: route.body(forwardedRequest(job.request)),
    idempotency_key: job.job_id,
  });
  if (!answer.reachable) return { state: 'unreachable', reason: answer.reason };
  if (isTransientStatus(answer.status)) {
    return { state: 'unreachable', reason: `the upstream answered ${answer.status}` };
  }
  const upstream_id = answer.status < 300 ? route.idOf(fieldOf(answer.json, 'data')) : null;
  if (upstream_id === null) {
    const message = fieldOf(fieldOf(answer.json, 'error'), 'message');
    return failed(
      'upstream_refused',
      `The upstream refused the job (HTTP ${answer.status}${typeof message === 'string' ? `: ${message.slice(0, 500)}` : ''}).`,
    );
  }
  return { state: 'running', upstream_id, next_check_at_ms: nextPollAt(ctx, null) };
}

/** Half the job's age from now, between the configured first and longest waits. */
function nextPollAt(ctx: AppContext, started_at_ms: bigint | null): bigint {
  const { engine_poll_interval_ms: first, engine_poll_interval_ms_max: longest } =
    ctx.config.limits;
  const now_ms = ctx.clock.now_ms();
  const half = started_at_ms === null ? 0n : (now_ms - started_at_ms) / 2n;
  const wait = half < first ? first : half > longest ? longest : half;
  return now_ms + wait;
}

async function followJob(ctx: AppContext, job: EngineJob): Promise<EngineReport> {
  const route = routeOf(job.kind);
  if (route === null || job.upstream_id === null) {
    return failed('engine_unsupported', `The upstream does not render ${job.kind}.`);
  }
  const detail = await fetchDetail(ctx, route.detail_path(job.upstream_id));
  if (detail.state !== 'answered') return detail.report;
  let data = detail.data;
  const status = fieldOf(data, 'status');
  let outputRoute = route;
  if (job.kind === 'agent_video' && status === 'completed') {
    // A session is done when its video is: follow it to the video for the output and cost.
    const video_id = fieldOf(data, 'video_id');
    if (typeof video_id !== 'string')
      return failed('upstream_failed', 'The upstream made no video.');
    const video = await fetchDetail(ctx, AGENT_VIDEO_ROUTE.detail_path(video_id));
    if (video.state !== 'answered') return video.report;
    data = video.data;
    outputRoute = AGENT_VIDEO_ROUTE;
  }
  const upstream_status = typeof status === 'string' ? status.slice(0, 64) : null;
  if (status === 'failed') {
    const code = fieldOf(data, 'failure_code');
    const message = fieldOf(data, 'failure_message') ?? fieldOf(fieldOf(data, 'error'), 'message');
    return {
      state: 'ended',
      upstream_status,
      result: {
        outcome: 'failed',
        failure_code:
          typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : 'upstream_failed',
        failure_message:
          typeof message === 'string' ? message.slice(0, 1_000) : 'The upstream failed the job.',
      },
    };
  }
  if (status !== 'completed') {
    const progress = fieldOf(data, 'progress');
    return {
      state: 'running',
      upstream_id: job.upstream_id,
      upstream_status,
      progress: Number.isInteger(progress) ? (progress as number) : null,
      next_check_at_ms: nextPollAt(ctx, job.started_at_ms),
    };
  }
  return {
    state: 'ended',
    upstream_status,
    result: completedResult(ctx, job, data, outputRoute),
    upstream_cost_micro_usd: upstreamCostOf(data),
  };
}

type Detail = { state: 'answered'; data: unknown } | { state: 'other'; report: EngineReport };

async function fetchDetail(ctx: AppContext, path: string): Promise<Detail> {
  const answer = await callUpstream(ctx, { method: 'GET', path });
  if (!answer.reachable)
    return { state: 'other', report: { state: 'unreachable', reason: answer.reason } };
  if (answer.status === 404) {
    return {
      state: 'other',
      report: failed('upstream_job_lost', 'The upstream no longer knows the job.'),
    };
  }
  if (answer.status >= 300) {
    return {
      state: 'other',
      report: { state: 'unreachable', reason: `the upstream answered ${answer.status}` },
    };
  }
  return { state: 'answered', data: fieldOf(answer.json, 'data') };
}

function completedResult(
  ctx: AppContext,
  job: EngineJob,
  data: unknown,
  route: UpstreamRoute,
): RenderResult {
  const duration_max = ctx.config.limits.job_duration_ms_max;
  // A training has no duration; any other output must say how long it is.
  const duration_ms =
    job.kind === 'avatar_training' ? 0n : secondsToMs(fieldOf(data, 'duration'), duration_max);
  if (duration_ms === null) {
    return {
      outcome: 'failed',
      failure_code: 'upstream_failed',
      failure_message: 'The upstream reported no output duration; the job was not charged.',
    };
  }
  const text = (field: string | null) => {
    const value = field === null ? undefined : fieldOf(data, field);
    return typeof value === 'string' ? value : null;
  };
  return {
    outcome: 'completed',
    duration_ms,
    video_url: text('video_url'),
    thumbnail_url: text(route.thumbnail_field),
    gif_url: text('gif_url'),
    captioned_video_url: text('captioned_video_url'),
    subtitle_url: text(route.subtitle_field),
  };
}

/** A Tollgate upstream's charge for the job (micro-USD); HeyGen itself does not say. */
export function upstreamCostOf(data: unknown): bigint | null {
  const charged = fieldOf(fieldOf(data, 'billing'), 'charged_amount_micro_usd');
  if (typeof charged === 'number' && Number.isSafeInteger(charged) && charged >= 0) {
    return BigInt(charged);
  }
  return typeof charged === 'string' && /^\d{1,18}$/.test(charged) ? BigInt(charged) : null;
}

async function speakUpstream(ctx: AppContext, job: RenderJob<SpeechInput>): Promise<SpeechResult> {
  const answer = await callUpstream(ctx, {
    method: 'POST',
    path: '/v3/voices/speech',
    body: forwardedRequest(job.request),
    idempotency_key: job.job_id,
  });
  const data = answer.reachable && answer.status < 300 ? fieldOf(answer.json, 'data') : undefined;
  const duration_ms = secondsToMs(fieldOf(data, 'duration'), ctx.config.limits.job_duration_ms_max);
  const audio_url = fieldOf(data, 'audio_url');
  if (duration_ms === null || typeof audio_url !== 'string') {
    return {
      outcome: 'failed',
      failure_code: 'render_failed',
      failure_message: 'The upstream did not synthesize the speech.',
    };
  }
  const words = fieldOf(data, 'word_timestamps');
  return {
    outcome: 'completed',
    duration_ms,
    audio_url,
    word_timestamps: Array.isArray(words) ? (words as SpeechWord[]) : [],
  };
}

type SpeechWord = { word: string; start: number; end: number };
