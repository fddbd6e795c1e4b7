/**
 * Render-worker callbacks (`POST /engine/v1/callbacks`, the `http` engine): a worker reports a
 * job's progress, a heartbeat, its output or its failure. The signature (`signing.ts`) is
 * checked on the raw body before anything is read: a bad or stale one is refused and nothing is
 * written. Then, in one transaction, the report is applied to the job if it still runs
 * (`applyEngineReport`): an end settles (or voids) the hold exactly once, whatever the number,
 * order or lateness of the callbacks; a report about a job that already ended is acknowledged
 * with `applied: false` and changes nothing. Body:
 *   `{job_id, event: "accepted" | "progress" | "heartbeat" | "completed" | "failed",
 *     progress?: 0–100, worker_job_id?, duration? (seconds, for completed), video_url?,
 *     thumbnail_url?, gif_url?, captioned_video_url?, subtitle_url?, failure_code?,
 *     failure_message?}`
 */
import type { AppContext } from '../context.ts';
import type { EngineReport, RenderResult } from './engine.ts';
import { applyEngineReport, type ReportOutcome } from './engine-jobs.ts';
import { engineError } from './errors.ts';
import { fieldOf, secondsToMs } from './remote-call.ts';
import { verifySignature } from './signing.ts';

export const CALLBACK_EVENTS = [
  'accepted',
  'progress',
  'heartbeat',
  'completed',
  'failed',
] as const;
type CallbackEvent = (typeof CALLBACK_EVENTS)[number];

const OUTPUT_FIELDS = [
  'video_url',
  'thumbnail_url',
  'gif_url',
  'captioned_video_url',
  'subtitle_url',
] as const;
const URL_CHARS_MAX = 2_048;
const MESSAGE_CHARS_MAX = 1_000;

export type CallbackOutcome = { job_id: string; event: CallbackEvent; applied: ReportOutcome };

/** Verifies, then applies one callback; throws `engine_signature_invalid` before reading it. */
export async function receiveEngineCallback(
  ctx: AppContext,
  request: { body: string; timestamp: string | undefined; signature: string | undefined },
): Promise<CallbackOutcome> {
  const http = ctx.config.engines.http;
  if (http === null) {
    throw engineError('engine_not_configured', 'No render farm is configured on this gateway.');
  }
  const verified = verifySignature(http.secret, {
    ...request,
    now_ms: ctx.clock.now_ms(),
    tolerance_ms: ctx.config.limits.engine_callback_tolerance_ms,
  });
  if (!verified) {
    throw engineError(
      'engine_signature_invalid',
      'The Tollgate-Signature header does not sign this body, or its timestamp is too old.',
      'Tollgate-Signature',
    );
  }
  const callback = parseCallback(request.body);
  const job = await ctx.db
    .selectFrom('jobs')
    .select(['account_id', 'engine'])
    .where('id', '=', callback.job_id)
    .executeTakeFirst();
  if (job === undefined || job.engine !== 'http') {
    throw engineError('engine_job_not_found', `No render-farm job ${callback.job_id}.`, 'job_id');
  }
  const report = reportOf(ctx, callback);
  const applied = await ctx.committer.run(
    (tx) => applyEngineReport(tx, { job_id: callback.job_id, report, retry_at_ms: () => null }),
    { account_id: job.account_id },
  );
  return { job_id: callback.job_id, event: callback.event, applied };
}

type Callback = { job_id: string; event: CallbackEvent; body: unknown };

function parseCallback(text: string): Callback {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw engineError('invalid_engine_callback', 'The body is not JSON.', null);
  }
  const job_id = fieldOf(body, 'job_id');
  if (typeof job_id !== 'string' || job_id.length === 0 || job_id.length > 128) {
    throw engineError('invalid_engine_callback', 'job_id must be a job id.', 'job_id');
  }
  const event = fieldOf(body, 'event');
  if (typeof event !== 'string' || !(CALLBACK_EVENTS as readonly string[]).includes(event)) {
    throw engineError(
      'invalid_engine_callback',
      `event must be one of ${CALLBACK_EVENTS.join(', ')}.`,
      'event',
    );
  }
  return { job_id, event: event as CallbackEvent, body };
}

/** The report a callback makes; a malformed field is a 400 naming it (nothing written). */
function reportOf(ctx: AppContext, callback: Callback): EngineReport {
  const { body } = callback;
  if (callback.event === 'completed') return { state: 'ended', result: completedOf(ctx, body) };
  if (callback.event === 'failed') {
    const code = fieldOf(body, 'failure_code');
    const message = fieldOf(body, 'failure_message');
    return {
      state: 'ended',
      result: {
        outcome: 'failed',
        failure_code:
          typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : 'render_failed',
        failure_message:
          typeof message === 'string' && message.length > 0
            ? message.slice(0, MESSAGE_CHARS_MAX)
            : 'The render worker reported a failure.',
      },
    };
  }
  const progress = fieldOf(body, 'progress');
  if (
    progress !== undefined &&
    !(Number.isInteger(progress) && (progress as number) >= 0 && (progress as number) <= 100)
  ) {
    throw engineError('invalid_engine_callback', 'progress must be an integer 0–100.', 'progress');
  }
  const workerJobId = fieldOf(body, 'worker_job_id');
  const timeout_ms = ctx.config.engines.http?.heartbeat_timeout_ms ?? 0n;
  return {
    state: 'running',
    upstream_id: typeof workerJobId === 'string' ? workerJobId.slice(0, 255) : null,
    progress: (progress as number | undefined) ?? null,
    next_check_at_ms: ctx.clock.now_ms() + timeout_ms,
  };
}

function completedOf(ctx: AppContext, body: unknown): RenderResult {
  const duration_ms = secondsToMs(fieldOf(body, 'duration'), ctx.config.limits.job_duration_ms_max);
  if (duration_ms === null) {
    throw engineError(
      'invalid_engine_callback',
      'duration must be the output length in seconds (a number ≥ 0).',
      'duration',
    );
  }
  const outputs = Object.fromEntries(
    OUTPUT_FIELDS.map((field) => {
      const value = fieldOf(body, field);
      if (
        value !== undefined &&
        value !== null &&
        (typeof value !== 'string' || value.length > URL_CHARS_MAX || !URL.canParse(value))
      ) {
        throw engineError('invalid_engine_callback', `${field} must be a URL.`, field);
      }
      return [field, (value as string | null | undefined) ?? null];
    }),
  ) as Record<(typeof OUTPUT_FIELDS)[number], string | null>;
  return { outcome: 'completed', duration_ms, ...outputs };
}
