/**
 * What an engine is: something that turns an admitted job of any product into a result (an
 * output duration and URLs, or a failure). Two shapes:
 * - a **computed** engine (the simulator) knows a job's result from its request alone: the worker
 *   asks it, through the product's call (`renderVideo`, `lipsync`, …), once `latency_ms` has
 *   passed, inside the transaction that settles the job. It holds no state between calls.
 * - a **remote** engine (a render farm, a HeyGen-compatible upstream) renders elsewhere and
 *   takes time: the worker hands it the job (`start`), then asks it when the job's next check is
 *   due (`poll`), each call outside any transaction; a render worker may also report progress,
 *   heartbeats and the result on its own (`callbacks.ts`). Each report is applied in a
 *   transaction of its own; the job lifecycle's conditional transitions make a second end of
 *   a job a no-op, so duplicate, late and out-of-order reports settle once.
 * Before admission, `probeDurationMs` tells how long a source is when the request alone says so
 * (the simulator's markers); a remote engine's media sources are probed from their headers
 * (`media-probe.ts`) before the admitting transaction. Speech is synchronous: no worker.
 */

import type { Config, EngineName } from '../config.ts';
import type { AppContext } from '../context.ts';
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

/** What a hold estimate may ask of the engine before admission. */
export type Prober = {
  /**
   * A source's length in milliseconds (of a medium, or of the speech of a text), or null when it
   * cannot be known before rendering.
   */
  probeDurationMs: (source: ProbeSource) => bigint | null;
};

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

/** A computed engine's product calls: each a pure function of the job's request. */
export type Renderer = {
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

export type ComputedEngine = Prober &
  Renderer & {
    name: EngineName;
    mode: 'computed';
    /** How long after it starts a job's result is due. */
    latency_ms: (config: Config) => bigint;
  };

/** A job as a remote engine sees it: its kind picks the upstream call or the worker's route. */
export type EngineJob = RenderJob<unknown> & {
  kind: string;
  /** The pricing product (`avatar_video`, `lipsync`, …). */
  product: string;
  /** What the engine said of the job so far; null before it was started. */
  upstream_id: string | null;
  /** Failed hand-overs or polls in a row, for the backoff. */
  failures: bigint;
  /** When the engine accepted the job; null before. */
  started_at_ms: bigint | null;
  /** When the engine last spoke of the job (a callback, a poll's answer); null before. */
  last_heard_at_ms: bigint | null;
};

/** What a remote engine says of a job after a hand-over or a poll. */
export type EngineReport =
  | {
      state: 'running';
      upstream_id: string | null;
      upstream_status?: string | null;
      /** 0–100, when the engine says. */
      progress?: number | null;
      /** When the worker should ask again (a poll), or give up waiting (a render worker). */
      next_check_at_ms: bigint;
      /** False: the engine said nothing new (the job's last word stays when it was). */
      heard?: boolean;
    }
  | {
      state: 'ended';
      result: RenderResult;
      upstream_status?: string | null;
      /** What the upstream charged for the job (resale), when it says. */
      upstream_cost_micro_usd?: bigint | null;
    }
  /** The call failed (network, 5xx): the worker retries with backoff, then fails the job. */
  | { state: 'unreachable'; reason: string };

export type RemoteEngine = Prober & {
  name: EngineName;
  mode: 'remote';
  /** Hands an admitted job to the engine. Outside any transaction. */
  start: (ctx: AppContext, job: EngineJob) => Promise<EngineReport>;
  /** Asks about a started job whose check is due. Outside any transaction. */
  poll: (ctx: AppContext, job: EngineJob) => Promise<EngineReport>;
  /** Text-to-speech, synchronous: the engine answers within the call. */
  synthesizeSpeech: (ctx: AppContext, job: RenderJob<SpeechInput>) => Promise<SpeechResult>;
};

export type Engine = ComputedEngine | RemoteEngine;
