/**
 * Wire schemas of the lipsync routes (API.md §7): the body of `POST /v3/lipsyncs` (also a body
 * of `POST /billing/v1/quote?product=lipsyncs`), `PATCH` (title), path and list parameters, and
 * HeyGen's lipsync resource. Rules between fields are the product's (`products/lipsync.ts`).
 */
import { type Static, Type } from 'typebox';
import type { JobRow } from '../../jobs/jobs.table.ts';
import { AUDIO_DURATION_MS_MAX } from '../../jobs/video-input.ts';
import type { CreateLipsyncInput } from '../../products/lipsync.ts';
import { ID, URL } from './bounds.ts';
import {
  nullableBoolean,
  nullableEnum,
  nullableInteger,
  nullableNumber,
  nullableString,
} from './nullable.ts';
import { toBilling } from './video-detail.ts';

/** Partial lipsync bounds: within HeyGen's 10-minute media limit. */
const TIME_S_MAX = 600;

// Translation and lipsync media take only `url` or `asset_id` (API.md §1.5).
export const MediaInputSchema = Type.Object({
  type: Type.Enum(['url', 'asset_id']),
  url: Type.Optional(Type.String(URL)),
  asset_id: Type.Optional(Type.String(ID)),
});

export const CreateLipsyncBody = Type.Object({
  video: MediaInputSchema,
  audio: MediaInputSchema,
  mode: Type.Optional(Type.Enum(['speed', 'precision'], { default: 'speed' })),
  title: nullableString({ maxLength: 255 }),
  enable_caption: Type.Optional(Type.Boolean({ default: false })),
  enable_dynamic_duration: Type.Optional(Type.Boolean({ default: true })),
  disable_music_track: Type.Optional(Type.Boolean({ default: false })),
  enable_speech_enhancement: Type.Optional(Type.Boolean({ default: false })),
  enable_watermark: Type.Optional(Type.Boolean({ default: false })),
  start_time: nullableNumber({ minimum: 0, maximum: TIME_S_MAX }),
  end_time: nullableNumber({ minimum: 0, maximum: TIME_S_MAX }),
  keep_the_same_format: nullableBoolean(),
  fps_mode: nullableEnum(['vfr', 'cfr', 'passthrough']),
  callback_url: nullableString(URL),
  callback_id: nullableString({ maxLength: 255 }),
  folder_id: nullableString(ID),
  audio_duration_ms: nullableInteger({ minimum: 1, maximum: AUDIO_DURATION_MS_MAX }),
  test: nullableBoolean(),
});

// The wire schema and the domain's input type must describe the same body.
export type CreateLipsyncBody = Static<typeof CreateLipsyncBody>;
export const toCreateLipsyncInput = (body: CreateLipsyncBody): CreateLipsyncInput => body;

export const UpdateLipsyncBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
});

export const LipsyncIdParams = Type.Object({ lipsync_id: Type.String(ID) });

export function listLipsyncsQuery(limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: 10 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  });
}

export type LipsyncStatus = 'pending' | 'running' | 'completed' | 'failed';

/** A job as HeyGen's lipsync resource, with Tollgate's `billing` beside it. */
export function toLipsyncDetail(job: JobRow) {
  return {
    id: job.id,
    // A cancelled job is always deleted, so it is never rendered; failed is the nearest word.
    status: (job.status === 'cancelled' ? 'failed' : job.status) as LipsyncStatus,
    title: job.title,
    duration: job.duration_ms === null ? null : Number(job.duration_ms) / 1000,
    video_url: job.video_url,
    caption_url: job.subtitle_url,
    callback_id: job.callback_id,
    created_at: Number(job.created_at_ms / 1000n),
    failure_message: job.failure_message,
    billing: toBilling(job),
  };
}
