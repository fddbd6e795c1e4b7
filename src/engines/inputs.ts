/**
 * What engines read from each product's request: the fields that decide an output, in HeyGen's
 * wire names. A product's full request type extends these (more fields are kept and forwarded).
 * Media inputs are HeyGen's AssetInput restricted to `url` and `asset_id` (API.md §1.5).
 */

export type MediaInput = { type: 'url' | 'asset_id'; url?: string; asset_id?: string };

/** `POST /v3/lipsyncs` (API.md §7). */
export type LipsyncInput = {
  video: MediaInput;
  audio: MediaInput;
  mode?: 'speed' | 'precision' | null;
  title?: string | null;
  enable_caption?: boolean | null;
  /** Tollgate extension: the new audio's length in milliseconds, when the caller knows it. */
  audio_duration_ms?: number | null;
};

/** One output language of `POST /v3/video-translations` (API.md §6.1). */
export type TranslationInput = {
  video: MediaInput;
  output_language: string;
  title?: string | null;
  translate_audio_only?: boolean | null;
  mode?: 'speed' | 'precision' | null;
  enable_caption?: boolean | null;
  /** Tollgate extension: the source video's length in milliseconds, when the caller knows it. */
  video_duration_ms?: number | null;
};

/** One video of a Video Agent session (API.md §5): its prompt, or the chat message behind it. */
export type AgentInput = {
  prompt: string;
  title?: string | null;
  /** Tollgate extension (HeyGen's v1 Video Agent field): the video's requested length. */
  duration_sec?: number | null;
};

/** `POST /v3/avatars` (API.md §9). */
export type AvatarTrainingInput = {
  type: 'photo' | 'digital_twin' | 'prompt';
  name: string;
  file?: MediaInput | null;
  prompt?: string | null;
};

/** `POST /v3/voices/speech` (API.md §8). */
export type SpeechInput = { text: string; voice_id: string; speed?: number | null };
