/**
 * Wire schemas of the video routes: the body of `POST /v3/videos` (also the body of
 * `POST /billing/v1/quote`), HeyGen's limits included, and the path and query parameters.
 * Rules between fields (exactly one visual source, one speech source, cinematic limits) are the
 * jobs domain's (`jobs/video-spec.ts`), which names the offending field.
 */
import { type Static, Type } from 'typebox';
import {
  AUDIO_DURATION_MS_MAX,
  CINEMATIC_DURATION_S_MAX,
  CINEMATIC_DURATION_S_MIN,
  type CreateVideoInput,
  PROMPT_CHARS_MAX,
  SCRIPT_CHARS_MAX,
} from '../../jobs/video-input.ts';
import { ID, URL } from './bounds.ts';
import {
  nullableBoolean,
  nullableEnum,
  nullableInteger,
  nullableNumber,
  nullableObject,
  nullableString,
} from './nullable.ts';

/** Inline base64 media; the whole request is also bounded by `job_request_size_bytes_max`. */
const BASE64_DATA_CHARS_MAX = 65_536;
/** A coarse bound on a list of look ids; the exact 1–3 rule is `jobs/video-spec.ts`'s. */
const AVATAR_IDS_MAX = 16;

const AssetInputSchema = Type.Object({
  type: Type.Enum(['url', 'asset_id', 'base64']),
  url: Type.Optional(Type.String(URL)),
  asset_id: Type.Optional(Type.String(ID)),
  media_type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  data: Type.Optional(Type.String({ minLength: 1, maxLength: BASE64_DATA_CHARS_MAX })),
});

const EngineSchema = Type.Object({
  type: Type.Enum(['avatar_iv', 'avatar_v', 'avatar_iii']),
  reference_look_id: nullableString(ID),
});

// Unknown fields (background, watermark, aspect_ratio, …) are accepted and kept, as HeyGen's
// clients send them; the ones Tollgate reads are typed and bounded here.
export const CreateVideoBody = Type.Object({
  type: Type.Enum(['avatar', 'image', 'cinematic_avatar', 'studio']),
  // One look id (avatar) or a list of them (cinematic_avatar), bounded either way. Bodies are
  // not coerced (`validation.ts`), so the anyOf cannot turn one shape into the other;
  // `jobs/video-spec.ts` checks which shape each video type needs.
  avatar_id: Type.Optional(
    Type.Unsafe<string | string[] | null>({
      anyOf: [
        { type: 'string', ...ID },
        { type: 'array', maxItems: AVATAR_IDS_MAX, items: { type: 'string', ...ID } },
        { type: 'null' },
      ],
    }),
  ),
  image: nullableObject(AssetInputSchema),
  image_url: nullableString(URL),
  image_asset_id: nullableString(ID),
  engine: nullableObject(EngineSchema),
  resolution: nullableEnum(['720p', '1080p', '4k']),
  output_format: nullableEnum(['mp4', 'webm']),
  script: nullableString({ minLength: 1, maxLength: SCRIPT_CHARS_MAX }),
  voice_id: nullableString(ID),
  voice_settings: nullableObject(
    Type.Object({ speed: nullableNumber({ minimum: 0.5, maximum: 1.5 }) }),
  ),
  audio_url: nullableString(URL),
  audio_asset_id: nullableString(ID),
  audio_duration_ms: nullableInteger({ minimum: 1, maximum: AUDIO_DURATION_MS_MAX }),
  caption: nullableObject(Type.Object({ style: nullableEnum(['default']) })),
  prompt: nullableString({ minLength: 1, maxLength: PROMPT_CHARS_MAX }),
  duration: nullableInteger({
    minimum: CINEMATIC_DURATION_S_MIN,
    maximum: CINEMATIC_DURATION_S_MAX,
  }),
  auto_duration: nullableBoolean(),
  title: nullableString({ maxLength: 255 }),
  callback_url: nullableString(URL),
  callback_id: nullableString({ maxLength: 255 }),
  test: nullableBoolean(),
});

// The wire schema and the domain's input type must describe the same body.
export type CreateVideoBody = Static<typeof CreateVideoBody>;
export const toCreateVideoInput = (body: CreateVideoBody): CreateVideoInput => body;

export const VideoIdParams = Type.Object({
  video_id: Type.String({ minLength: 1, maxLength: 128 }),
});

export function listVideosQuery(limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: 10 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    folder_id: Type.Optional(Type.String({ maxLength: 128 })),
  });
}
