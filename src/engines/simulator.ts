/**
 * The simulator engine: the default, so the whole gateway runs and demos with no render farm.
 * Deterministic and stateless (docs/simulator.md): the same request always yields the same result.
 * - Speech of N characters lasts round(N × 1000 / (15 × speed)) ms (`speed` defaults to 1).
 * - `[simulate:duration=S]` in a text field or `#simulate:duration=S` on a media URL sets that
 *   source's or output's duration; `[simulate:fail]` / `#simulate:fail` fails the job
 *   (`simulator-markers.ts`). Documented defaults apply otherwise.
 * Every job is ready `TOLLGATE_SIMULATOR_LATENCY_MS` after it starts.
 */
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { CINEMATIC_DURATION_S_DEFAULT } from '../jobs/video-input.ts';
import type { ComputedEngine, JobOutputs, ProbeSource, RenderJob, RenderResult } from './engine.ts';
import type { AgentInput, AvatarTrainingInput, LipsyncInput, TranslationInput } from './inputs.ts';
import {
  mediaUrl,
  SIMULATE_FAIL_MARKER,
  textAsksToFail,
  textDurationMs,
  urlAsksToFail,
  urlDurationMs,
} from './simulator-markers.ts';
import { speechDurationMs, synthesizeSpeech } from './simulator-speech.ts';

export { SIMULATOR_CHARS_PER_S, speechDurationMs } from './simulator-speech.ts';
export { SIMULATE_FAIL_MARKER };
/** An audio input of unknown length (no marker, no declared duration). */
export const SIMULATOR_AUDIO_DURATION_MS_DEFAULT = 60_000n;
/** A source video of unknown length (a translation's output lasts as long as its source). */
export const SIMULATOR_SOURCE_VIDEO_DURATION_MS_DEFAULT = 60_000n;
/** A Video Agent video whose prompt has no duration marker. */
export const SIMULATOR_AGENT_VIDEO_DURATION_MS_DEFAULT = 30_000n;
const OUTPUT_BASE_URL = 'https://simulator.tollgate.example';

export const SIMULATOR_ENGINE: ComputedEngine = {
  name: 'simulator',
  mode: 'computed',
  latency_ms: (config) => BigInt(config.simulator_latency_ms),
  probeDurationMs: probeSimulated,
  renderVideo: simulateRender,
  lipsync: simulateLipsync,
  translateVideo: simulateTranslation,
  proofreadTranslation: simulateProofread,
  runAgent: simulateAgent,
  trainAvatar: simulateTraining,
  synthesizeSpeech,
};

/** What the simulator knows before rendering: the duration markers, nothing else. */
export function probeSimulated(source: ProbeSource): bigint | null {
  return source.type === 'text' ? textDurationMs(source.text) : urlDurationMs(mediaUrl(source));
}

function failed(): RenderResult {
  return {
    outcome: 'failed',
    failure_code: 'render_failed',
    failure_message: `Rendering failed: the input asked the simulator to fail (${SIMULATE_FAIL_MARKER}).`,
  };
}

const NO_OUTPUTS: JobOutputs = {
  video_url: null,
  thumbnail_url: null,
  gif_url: null,
  captioned_video_url: null,
  subtitle_url: null,
};

function outputBase(resource: string, job_id: string): string {
  return `${OUTPUT_BASE_URL}/${resource}/${encodeURIComponent(job_id)}`;
}

export function simulateRender(job: RenderJob<CreateVideoInput>): RenderResult {
  const request = job.request;
  const image = request.image?.type === 'url' ? request.image.url : null;
  if (
    textAsksToFail(request.script, request.prompt, request.title) ||
    urlAsksToFail(request.audio_url, request.image_url, image)
  ) {
    return failed();
  }
  const base = outputBase('videos', job.job_id);
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

/** The output duration the simulator renders for a video `request`, in milliseconds. */
export function simulatedDurationMs(request: CreateVideoInput): bigint {
  if (request.type === 'cinematic_avatar') {
    return BigInt(request.duration ?? CINEMATIC_DURATION_S_DEFAULT) * 1000n;
  }
  if (typeof request.script === 'string') {
    const marked = textDurationMs(request.script);
    return marked ?? speechDurationMs(request.script, request.voice_settings?.speed ?? 1);
  }
  const declared = request.audio_duration_ms;
  return (
    urlDurationMs(request.audio_url) ??
    (typeof declared === 'number' ? BigInt(declared) : SIMULATOR_AUDIO_DURATION_MS_DEFAULT)
  );
}

/** A lipsync's output lasts as long as its new audio. */
export function simulateLipsync(job: RenderJob<LipsyncInput>): RenderResult {
  const { video, audio, title, audio_duration_ms, enable_caption } = job.request;
  if (textAsksToFail(title) || urlAsksToFail(mediaUrl(video), mediaUrl(audio))) return failed();
  const declared = typeof audio_duration_ms === 'number' ? BigInt(audio_duration_ms) : null;
  const base = outputBase('lipsyncs', job.job_id);
  return {
    outcome: 'completed',
    duration_ms: urlDurationMs(mediaUrl(audio)) ?? declared ?? SIMULATOR_AUDIO_DURATION_MS_DEFAULT,
    ...NO_OUTPUTS,
    video_url: `${base}.mp4`,
    subtitle_url: enable_caption === true ? `${base}.srt` : null,
  };
}

/** A translation's output lasts as long as its source video. */
export function simulateTranslation(job: RenderJob<TranslationInput>): RenderResult {
  const { video, title, enable_caption } = job.request;
  if (textAsksToFail(title) || urlAsksToFail(mediaUrl(video))) return failed();
  const base = outputBase('video-translations', job.job_id);
  return {
    outcome: 'completed',
    duration_ms: sourceVideoDurationMs(job.request),
    ...NO_OUTPUTS,
    video_url: `${base}.mp4`,
    subtitle_url: enable_caption === true ? `${base}.srt` : null,
  };
}

/** A proofread covers its whole source video and yields the translated subtitles to review. */
export function simulateProofread(job: RenderJob<TranslationInput>): RenderResult {
  const { video, title } = job.request;
  if (textAsksToFail(title) || urlAsksToFail(mediaUrl(video))) return failed();
  return {
    outcome: 'completed',
    duration_ms: sourceVideoDurationMs(job.request),
    ...NO_OUTPUTS,
    subtitle_url: `${outputBase('proofreads', job.job_id)}.srt`,
  };
}

/** The source video's marker, else its declared length, else the documented default. */
function sourceVideoDurationMs(request: TranslationInput): bigint {
  const declared = request.video_duration_ms;
  return (
    urlDurationMs(mediaUrl(request.video)) ??
    (typeof declared === 'number' ? BigInt(declared) : SIMULATOR_SOURCE_VIDEO_DURATION_MS_DEFAULT)
  );
}

/** A Video Agent video lasts as its prompt (or message) says, else as long as requested. */
export function simulateAgent(job: RenderJob<AgentInput>): RenderResult {
  const { prompt, title, duration_sec } = job.request;
  if (textAsksToFail(prompt, title)) return failed();
  const base = outputBase('videos', job.job_id);
  const requested = typeof duration_sec === 'number' ? BigInt(duration_sec) * 1000n : null;
  return {
    outcome: 'completed',
    duration_ms: textDurationMs(prompt) ?? requested ?? SIMULATOR_AGENT_VIDEO_DURATION_MS_DEFAULT,
    ...NO_OUTPUTS,
    video_url: `${base}.mp4`,
    thumbnail_url: `${base}.jpg`,
  };
}

/** Training succeeds unless its name, prompt or file asks it to fail. */
export function simulateTraining(job: RenderJob<AvatarTrainingInput>): RenderResult {
  const { name, prompt, file } = job.request;
  if (textAsksToFail(name, prompt) || urlAsksToFail(mediaUrl(file))) return failed();
  return {
    outcome: 'completed',
    duration_ms: 0n,
    ...NO_OUTPUTS,
    thumbnail_url: `${outputBase('avatars', job.job_id)}.jpg`,
  };
}
