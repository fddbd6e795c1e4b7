/**
 * What an engine is: something that turns an admitted job of any product into a result (an
 * output duration and URLs, or a failure). The worker asks an engine how long a job takes
 * (`latency_ms`) and, once that time has passed, for its result through the product's call
 * (`renderVideo`, `lipsync`, …). Before admission, `probeDurationMs` tells how long a media source
 * is, when the engine can know it (a real engine reads the media header; the simulator reads its
 * marker), so holds are sized from real inputs. Engines hold no state between calls: a restarted
 * gateway asks again and gets the same answer. Speech is synchronous: no job, no worker.
 */
import type { Config } from '../config.ts';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import type {
  AgentInput,
  AvatarTrainingInput,
  LipsyncInput,
  MediaInput,
  SpeechInput,
  TranslationInput,
} from './inputs.ts';

/** What `probeDurationMs` can be asked about: a media input or a text to be spoken. */
export type ProbeSource = MediaInput | { type: 'text'; text: string };

export type RenderJob<Request = CreateVideoInput> = {
  job_id: string;
  output_format: string;
  /** The validated request body the job was admitted with. */
  request: Request;
};

/** The output files a job can have; each product fills the ones it makes. */
export type JobOutputs = {
  video_url: string | null;
  thumbnail_url: string | null;
  gif_url: string | null;
  captioned_video_url: string | null;
  /** Subtitles or captions (a lipsync's `caption_url`). */
  subtitle_url: string | null;
};

export type RenderFailure = { outcome: 'failed'; failure_code: string; failure_message: string };

export type RenderResult =
  | ({ outcome: 'completed'; duration_ms: bigint } & JobOutputs)
  | RenderFailure;

export type SpeechResult =
  | {
      outcome: 'completed';
      duration_ms: bigint;
      audio_url: string;
      word_timestamps: { word: string; start: number; end: number }[];
    }
  | RenderFailure;

export type Engine = {
  name: string;
  /** How long after it starts a job's result is due. */
  latency_ms: (config: Config) => bigint;
  /**
   * A source's length in milliseconds (of a medium, or of the speech of a text), or null when it
   * cannot be known before rendering.
   */
  probeDurationMs: (source: ProbeSource) => bigint | null;
  renderVideo: (job: RenderJob<CreateVideoInput>) => RenderResult;
  lipsync: (job: RenderJob<LipsyncInput>) => RenderResult;
  translateVideo: (job: RenderJob<TranslationInput>) => RenderResult;
  /** A proofread session: the translated subtitles of one output language, for review. */
  proofreadTranslation: (job: RenderJob<TranslationInput>) => RenderResult;
  /** One Video Agent video (the session's output). */
  runAgent: (job: RenderJob<AgentInput>) => RenderResult;
  /** Avatar training has no duration: a completed training reports 0 ms and no files. */
  trainAvatar: (job: RenderJob<AvatarTrainingInput>) => RenderResult;
  synthesizeSpeech: (request: SpeechInput) => SpeechResult;
};
