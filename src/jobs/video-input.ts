/**
 * The body of `POST /v3/videos` (and of `POST /billing/v1/quote`) as HeyGen defines it: the
 * fields Tollgate reads, snake_case as on the wire. The HTTP schema checks types and bounds;
 * `parseVideoInput` checks the rules between fields. Fields Tollgate does not read (background,
 * watermark, aspect_ratio, …) are kept in the stored request for engines that forward it.
 */

export type VideoType = 'avatar' | 'image' | 'cinematic_avatar' | 'studio';
export type Resolution = '720p' | '1080p' | '4k';
export type EngineType = 'avatar_iv' | 'avatar_v' | 'avatar_iii';
export type OutputFormat = 'mp4' | 'webm';

/** HeyGen's AssetInput: a public URL, an uploaded asset id or inline base64 (by `type`). */
export type AssetInput = {
  type: 'url' | 'asset_id' | 'base64';
  url?: string;
  asset_id?: string;
  media_type?: string;
  data?: string;
};

/** The fields each AssetInput `type` requires. */
export const ASSET_INPUT_FIELDS = {
  url: ['url'],
  asset_id: ['asset_id'],
  base64: ['media_type', 'data'],
} as const;

export type CreateVideoInput = {
  type: VideoType;
  /** A look id (`avatar`), or one to three look ids (`cinematic_avatar`). */
  avatar_id?: string | string[] | null;
  image?: AssetInput | null;
  /** Older spellings of `image` (HeyGen's 2026-04 validation message still names them). */
  image_url?: string | null;
  image_asset_id?: string | null;
  engine?: { type: EngineType; reference_look_id?: string | null } | null;
  resolution?: Resolution | null;
  output_format?: OutputFormat | null;
  script?: string | null;
  voice_id?: string | null;
  voice_settings?: { speed?: number | null } | null;
  audio_url?: string | null;
  audio_asset_id?: string | null;
  /**
   * Tollgate extension: the length of the audio input in milliseconds, when the caller knows it.
   * It sizes the hold (and the simulator's output); without it the hold assumes HeyGen's limit.
   */
  audio_duration_ms?: number | null;
  caption?: { style?: 'default' | null } | null;
  prompt?: string | null;
  /** Cinematic avatar: output length in whole seconds, 4–15. */
  duration?: number | null;
  auto_duration?: boolean | null;
  title?: string | null;
  callback_url?: string | null;
  callback_id?: string | null;
  /** Tollgate (and HeyGen v2) extension: a free test render that holds and charges nothing. */
  test?: boolean | null;
};

/** HeyGen's limits on inputs (API.md §10). */
export const SCRIPT_CHARS_MAX = 5_000;
export const PROMPT_CHARS_MAX = 10_000;
export const AUDIO_DURATION_MS_MAX = 600_000;
export const CINEMATIC_DURATION_S_MIN = 4;
export const CINEMATIC_DURATION_S_MAX = 15;
export const CINEMATIC_DURATION_S_DEFAULT = 10;
export const CINEMATIC_LOOKS_MAX = 3;

/** Characters as a speaker (and HeyGen's 5,000 limit) counts them: code points, not UTF-16 units. */
export function countChars(text: string): number {
  let count = 0;
  for (const _char of text) count++;
  return count;
}
