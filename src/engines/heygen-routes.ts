/**
 * How each job kind is resold to a HeyGen-compatible upstream (API.md): the create call and the
 * id in its answer, and the detail call to follow the job with and how its answer maps onto a
 * result. The request is forwarded as admitted (HeyGen's own field names), without the
 * customer's callback; a translation job (one output language) is one upstream translation.
 * A Video Agent video is a one-shot `generate` session upstream, followed to its video.
 */
import { fieldOf } from './remote-call.ts';

export type UpstreamRoute = {
  /** The create call's path and body. */
  create_path: string;
  body: (request: Record<string, unknown>) => Record<string, unknown>;
  /** The upstream id in the create call's `data`. */
  idOf: (data: unknown) => string | null;
  /** The detail call's path for an upstream id. */
  detail_path: (upstream_id: string) => string;
  /** Which detail field holds the subtitles, and the preview of a training. */
  subtitle_field: string | null;
  thumbnail_field: string;
};

const firstOf = (data: unknown, field: string): string | null => {
  const ids = fieldOf(data, field);
  return Array.isArray(ids) && typeof ids[0] === 'string' ? ids[0] : null;
};
const stringField = (data: unknown, field: string): string | null => {
  const value = fieldOf(data, field);
  return typeof value === 'string' ? value : null;
};
const same = (request: Record<string, unknown>) => request;

const VIDEO_ROUTE: UpstreamRoute = {
  create_path: '/v3/videos',
  body: same,
  idOf: (data) => stringField(data, 'video_id'),
  detail_path: (id) => `/v3/videos/${encodeURIComponent(id)}`,
  subtitle_field: 'subtitle_url',
  thumbnail_field: 'thumbnail_url',
};

export const UPSTREAM_ROUTES: Record<string, UpstreamRoute> = {
  video: VIDEO_ROUTE,
  lipsync: {
    create_path: '/v3/lipsyncs',
    body: same,
    idOf: (data) => stringField(data, 'lipsync_id'),
    detail_path: (id) => `/v3/lipsyncs/${encodeURIComponent(id)}`,
    subtitle_field: 'caption_url',
    thumbnail_field: 'thumbnail_url',
  },
  translation: {
    create_path: '/v3/video-translations',
    body: ({ output_language, ...rest }) => ({ ...rest, output_languages: [output_language] }),
    idOf: (data) => firstOf(data, 'video_translation_ids'),
    detail_path: (id) => `/v3/video-translations/${encodeURIComponent(id)}`,
    subtitle_field: 'srt_caption_url',
    thumbnail_field: 'thumbnail_url',
  },
  proofread: {
    create_path: '/v3/video-translations/proofreads',
    body: ({ output_language, ...rest }) => ({ ...rest, output_languages: [output_language] }),
    idOf: (data) => firstOf(data, 'proofread_ids'),
    detail_path: (id) => `/v3/video-translations/proofreads/${encodeURIComponent(id)}`,
    subtitle_field: null,
    thumbnail_field: 'thumbnail_url',
  },
  avatar_training: {
    create_path: '/v3/avatars',
    body: same,
    idOf: (data) => stringField(fieldOf(data, 'avatar_item'), 'id'),
    detail_path: (id) => `/v3/avatars/looks/${encodeURIComponent(id)}`,
    subtitle_field: null,
    thumbnail_field: 'preview_image_url',
  },
  agent_video: {
    create_path: '/v3/video-agents',
    body: (request) => ({ ...request, mode: 'generate' }),
    idOf: (data) => stringField(data, 'session_id'),
    detail_path: (id) => `/v3/video-agents/${encodeURIComponent(id)}`,
    subtitle_field: null,
    thumbnail_field: 'thumbnail_url',
  },
};

/** The detail call of an agent session's video, once the session names it. */
export const AGENT_VIDEO_ROUTE = VIDEO_ROUTE;
