/**
 * The `http` engine: a render farm behind one URL (`TOLLGATE_HTTP_ENGINE_URL`). Tollgate POSTs
 * each job there, signed (`signing.ts`):
 *   `{job_id, kind, product, output_format, request, callback_url, heartbeat_timeout_ms}`
 * (the request as admitted, without the customer's `callback_url`/`callback_id`). A 2xx accepts
 * the job (optionally `{worker_job_id}`); another 4xx refuses it (the job fails, costing
 * nothing); a 5xx, 408, 429 or no answer is retried with backoff (`jobs/remote-jobs.ts`). The
 * worker then reports on the signed callback, `POST /engine/v1/callbacks` (`callbacks.ts`):
 * progress, heartbeats, the output (URLs, `duration` in seconds) or a failure. Each report
 * pushes the job's check `heartbeat_timeout_ms` ahead; when the check comes due with nothing
 * heard, `poll` fails the job (`engine_timeout`) and its hold is released. Speech is synchronous:
 * the same POST with `kind: "speech"` is answered with `{duration, audio_url, word_timestamps?}`.
 */
import type { AppContext } from '../context.ts';
import type { EngineJob, EngineReport, RemoteEngine, RenderJob, SpeechResult } from './engine.ts';
import type { SpeechInput } from './inputs.ts';
import {
  callRemote,
  fieldOf,
  forwardedRequest,
  isTransientStatus,
  type RemoteAnswer,
  secondsToMs,
} from './remote-call.ts';
import { signedHeaders } from './signing.ts';

/** Where render workers report (relative to `TOLLGATE_PUBLIC_URL`). */
export const ENGINE_CALLBACK_PATH = '/engine/v1/callbacks';

export const HTTP_ENGINE: RemoteEngine = {
  name: 'http',
  mode: 'remote',
  probeDurationMs: () => null,
  start: startOnWorker,
  poll: giveUpOnSilentWorker,
  synthesizeSpeech: speakOnWorker,
};

function httpSettings(ctx: Pick<AppContext, 'config'>) {
  const http = ctx.config.engines.http;
  if (http === null) throw new Error('the http engine has no TOLLGATE_HTTP_ENGINE_URL');
  return http;
}

/** POSTs `payload` to the render farm, signed. */
function postToWorker(ctx: AppContext, payload: Record<string, unknown>): Promise<RemoteAnswer> {
  const http = httpSettings(ctx);
  const body = JSON.stringify(payload);
  return callRemote(ctx, {
    url: http.url,
    method: 'POST',
    headers: signedHeaders(http.secret, body, ctx.clock.now_ms()),
    body,
  });
}

async function startOnWorker(ctx: AppContext, job: EngineJob): Promise<EngineReport> {
  const http = httpSettings(ctx);
  const answer = await postToWorker(ctx, {
    job_id: job.job_id,
    kind: job.kind,
    product: job.product,
    output_format: job.output_format,
    request: forwardedRequest(job.request),
    callback_url: `${ctx.config.public_url}${ENGINE_CALLBACK_PATH}`,
    heartbeat_timeout_ms: Number(http.heartbeat_timeout_ms),
  });
  if (!answer.reachable) return { state: 'unreachable', reason: answer.reason };
  if (isTransientStatus(answer.status)) {
    return { state: 'unreachable', reason: `the render worker answered ${answer.status}` };
  }
  if (answer.status >= 300) {
    return {
      state: 'ended',
      result: {
        outcome: 'failed',
        failure_code: 'engine_refused',
        failure_message: `The render worker refused the job (HTTP ${answer.status}).`,
      },
    };
  }
  const workerJobId = fieldOf(answer.json, 'worker_job_id');
  return {
    state: 'running',
    upstream_id: typeof workerJobId === 'string' ? workerJobId.slice(0, 255) : null,
    next_check_at_ms: ctx.clock.now_ms() + http.heartbeat_timeout_ms,
  };
}

/**
 * The check of an http job comes due when its worker may have been silent too long: unless it
 * spoke within the timeout (a callback that raced a retried hand-over), the job fails.
 */
async function giveUpOnSilentWorker(ctx: AppContext, job: EngineJob): Promise<EngineReport> {
  const timeout_ms = httpSettings(ctx).heartbeat_timeout_ms;
  const heard_at_ms = job.last_heard_at_ms ?? job.started_at_ms;
  if (heard_at_ms !== null && ctx.clock.now_ms() < heard_at_ms + timeout_ms) {
    return {
      state: 'running',
      upstream_id: job.upstream_id,
      next_check_at_ms: heard_at_ms + timeout_ms,
      heard: false,
    };
  }
  return {
    state: 'ended',
    result: {
      outcome: 'failed',
      failure_code: 'engine_timeout',
      failure_message: `The render worker reported nothing for ${timeout_ms} ms; the job was not charged.`,
    },
  };
}

async function speakOnWorker(ctx: AppContext, job: RenderJob<SpeechInput>): Promise<SpeechResult> {
  const answer = await postToWorker(ctx, {
    job_id: job.job_id,
    kind: 'speech',
    product: 'text_to_speech',
    output_format: job.output_format,
    request: forwardedRequest(job.request),
  });
  const duration_ms = answer.reachable
    ? secondsToMs(fieldOf(answer.json, 'duration'), ctx.config.limits.job_duration_ms_max)
    : null;
  const audio_url = answer.reachable ? fieldOf(answer.json, 'audio_url') : undefined;
  if (
    !answer.reachable ||
    answer.status >= 300 ||
    duration_ms === null ||
    typeof audio_url !== 'string'
  ) {
    return {
      outcome: 'failed',
      failure_code: 'render_failed',
      failure_message: 'The render worker did not synthesize the speech.',
    };
  }
  const timestamps = fieldOf(answer.json, 'word_timestamps');
  return {
    outcome: 'completed',
    duration_ms,
    audio_url,
    word_timestamps: Array.isArray(timestamps) ? (timestamps as SpeechWord[]) : [],
  };
}

type SpeechWord = { word: string; start: number; end: number };
