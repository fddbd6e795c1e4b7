/**
 * Wire schemas of the video translation routes (API.md §6.1–6.2): the body of
 * `POST /v3/video-translations` (also a body of
 * `POST /billing/v1/quote?product=video-translations`), `PATCH` (title), path and list parameters, and HeyGen's video translation resource. Rules
 * between fields (languages, ranges) are the product's (`products/translation.ts`).
 */
import { type Static, Type } from 'typebox';
import type { JobRow } from '../../jobs/jobs.table.ts';
import {
  type CreateTranslationInput,
  OUTPUT_LANGUAGES_MAX,
  type TranslationJobInput,
  VIDEO_DURATION_MS_UNDECLARED,
} from '../../products/translation.ts';
import { ID, URL } from './bounds.ts';
import { MediaInputSchema } from './lipsyncs.ts';
import {
  nullableBoolean,
  nullableEnum,
  nullableInteger,
  nullableNumber,
  nullableObject,
  nullableString,
} from './nullable.ts';
import { toBilling } from './video-detail.ts';

const LANGUAGE = { minLength: 1, maxLength: 100 };
/** Partial translation bounds: within the hour a source may last. */
const TIME_S_MAX = Number(VIDEO_DURATION_MS_UNDECLARED / 1000n);
const SPEAKERS_MAX = 20;
const STOCK_VOICES_MAX = 10;

/** Fields shared by the translation and the proofread create bodies. */
export const SOURCE_FIELDS = {
  video: MediaInputSchema,
  mode: Type.Optional(Type.Enum(['speed', 'precision'], { default: 'speed' })),
  input_language: nullableString(LANGUAGE),
  speaker_num: nullableInteger({ minimum: 1, maximum: SPEAKERS_MAX }),
  srt: nullableObject(MediaInputSchema),
  brand_glossary_id: nullableString(ID),
  brand_voice_id: nullableString(ID),
  disable_music_track: Type.Optional(Type.Boolean({ default: false })),
  enable_speech_enhancement: Type.Optional(Type.Boolean({ default: false })),
  folder_id: nullableString(ID),
  /** Tollgate extension: the source's length, when known (sizes the hold exactly). */
  video_duration_ms: nullableInteger({ minimum: 1, maximum: Number(VIDEO_DURATION_MS_UNDECLARED) }),
  /** Tollgate extension: a free test job. */
  test: nullableBoolean(),
};

export const OutputLanguages = Type.Array(Type.String(LANGUAGE), {
  minItems: 1,
  maxItems: OUTPUT_LANGUAGES_MAX,
});

export const CreateVideoTranslationBody = Type.Object(
  {
    ...SOURCE_FIELDS,
    output_languages: OutputLanguages,
    translate_audio_only: Type.Optional(Type.Boolean({ default: false })),
    title: nullableString({ maxLength: 255 }),
    enable_caption: Type.Optional(Type.Boolean({ default: false })),
    enable_dynamic_duration: Type.Optional(Type.Boolean({ default: true })),
    enable_watermark: Type.Optional(Type.Boolean({ default: false })),
    keep_the_same_format: nullableBoolean(),
    start_time: nullableNumber({ minimum: 0, maximum: TIME_S_MAX }),
    end_time: nullableNumber({ minimum: 0, maximum: TIME_S_MAX }),
    fps_mode: nullableEnum(['vfr', 'cfr', 'passthrough']),
    audio: nullableObject(MediaInputSchema),
    srt_role: nullableEnum(['input', 'output']),
    stock_voice_config: nullableObject(
      Type.Object(
        {
          use_stock_voice: Type.Optional(Type.Boolean({ default: false })),
          preferred_stock_voice_ids: Type.Optional(
            Type.Array(Type.String(ID), { maxItems: STOCK_VOICES_MAX }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    callback_url: nullableString(URL),
    callback_id: nullableString({ maxLength: 255 }),
  },
  // HeyGen's own schema refuses unknown fields (SPEC0408 CreateVideoTranslationRequest).
  { additionalProperties: false },
);

// The wire schema and the domain's input type must describe the same body.
export type CreateVideoTranslationBody = Static<typeof CreateVideoTranslationBody>;
export const toCreateTranslationInput = (
  body: CreateVideoTranslationBody,
): CreateTranslationInput => body;

export const UpdateVideoTranslationBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
});

export const VideoTranslationIdParams = Type.Object({ video_translation_id: Type.String(ID) });

export function listVideoTranslationsQuery(limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: 10 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  });
}

export type VideoTranslationStatus = 'pending' | 'running' | 'completed' | 'failed';

/** A job as HeyGen's video translation resource, with Tollgate's `billing` beside it. */
export function toVideoTranslationDetail(job: JobRow) {
  const request = JSON.parse(job.request_json) as TranslationJobInput;
  return {
    id: job.id,
    // A cancelled job is always deleted, so it is never rendered; failed is the nearest word.
    status: (job.status === 'cancelled' ? 'failed' : job.status) as VideoTranslationStatus,
    title: job.title,
    input_language: request.input_language ?? null,
    output_language: request.output_language,
    duration: job.duration_ms === null ? null : Number(job.duration_ms) / 1000,
    translate_audio_only: request.translate_audio_only === true,
    video_url: job.video_url,
    // The simulator makes no separate audio or VTT file; a real engine's would go here.
    audio_url: null,
    srt_caption_url: job.subtitle_url,
    vtt_caption_url: null,
    callback_id: job.callback_id,
    created_at: Number(job.created_at_ms / 1000n),
    failure_message: job.failure_message,
    billing: toBilling(job),
  };
}
