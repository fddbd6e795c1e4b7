/**
 * The simulator engine: the default, so the whole gateway runs and demos with no render farm.
 * Deterministic (docs/simulator.md): the same request always yields the same result.
 * - A script of N characters is spoken at 15 characters per second: round(N × 1000 / 15) ms.
 * - Audio lasts its declared `audio_duration_ms`, else 60 s.
 * - A cinematic avatar lasts its requested `duration` (default 10 s).
 * - A script or prompt containing `[simulate:fail]` fails with `render_failed`.
 * Every job is ready `TOLLGATE_SIMULATOR_LATENCY_MS` after it starts.
 */
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { CINEMATIC_DURATION_S_DEFAULT, countChars } from '../jobs/video-input.ts';
import { divFloor } from '../shared/money.ts';
import type { Engine, RenderJob, RenderResult } from './engine.ts';

export const SIMULATOR_CHARS_PER_S = 15n;
export const SIMULATOR_AUDIO_DURATION_MS_DEFAULT = 60_000n;
export const SIMULATE_FAIL_MARKER = '[simulate:fail]';
const OUTPUT_BASE_URL = 'https://simulator.tollgate.example/videos';

export const SIMULATOR_ENGINE: Engine = {
  name: 'simulator',
  latency_ms: (config) => BigInt(config.simulator_latency_ms),
  result: simulateRender,
};

export function simulateRender(job: RenderJob): RenderResult {
  const request = job.request;
  const text = request.type === 'cinematic_avatar' ? request.prompt : request.script;
  if (typeof text === 'string' && text.includes(SIMULATE_FAIL_MARKER)) {
    return {
      outcome: 'failed',
      failure_code: 'render_failed',
      failure_message: `Rendering failed: the input asked the simulator to fail (${SIMULATE_FAIL_MARKER}).`,
    };
  }
  const base = `${OUTPUT_BASE_URL}/${encodeURIComponent(job.job_id)}`;
  const spoken = request.type !== 'cinematic_avatar';
  return {
    outcome: 'completed',
    duration_ms: simulatedDurationMs(request),
    video_url: `${base}.${job.output_format === 'webm' ? 'webm' : 'mp4'}`,
    thumbnail_url: `${base}.jpg`,
    gif_url: `${base}.gif`,
    captioned_video_url:
      spoken && request.caption?.style === 'default' ? `${base}.captioned.mp4` : null,
    subtitle_url: spoken ? `${base}.srt` : null,
  };
}

/** The output duration the simulator renders for `request`, in milliseconds. */
export function simulatedDurationMs(request: CreateVideoInput): bigint {
  if (request.type === 'cinematic_avatar') {
    return BigInt(request.duration ?? CINEMATIC_DURATION_S_DEFAULT) * 1000n;
  }
  if (typeof request.script === 'string') {
    // round(N × 1000 / 15) without floats: floor((2 × N × 1000 + 15) / 30); never a tie.
    const chars = BigInt(countChars(request.script));
    return divFloor(2n * chars * 1000n + SIMULATOR_CHARS_PER_S, 2n * SIMULATOR_CHARS_PER_S);
  }
  const declared = request.audio_duration_ms;
  return typeof declared === 'number' ? BigInt(declared) : SIMULATOR_AUDIO_DURATION_MS_DEFAULT;
}
