/**
 * Schemas and renderings of HeyGen's voice endpoints: the list query (type, engine, language,
 * gender; pages of 1–100, default 20), the `AudioVoiceItem` of a listing and the voice detail of
 * `GET /v3/voices/{voice_id}`. Catalog voices are public and ready, so a detail has no clone
 * `status`, `created_at` or `failure_message`.
 */
import { Type } from 'typebox';
import type { Voice } from '../../catalog/voices.ts';

export const VOICES_LIMIT_MAX = 100;
const VOICES_LIMIT_DEFAULT = 20;

const FilterText = Type.String({ minLength: 1, maxLength: 64 });

export const ListVoicesQuery = Type.Object({
  type: Type.Enum(['public', 'private'], { default: 'public' }),
  engine: Type.Optional(FilterText),
  language: Type.Optional(FilterText),
  gender: Type.Optional(Type.Enum(['male', 'female'])),
  limit: Type.Integer({ minimum: 1, maximum: VOICES_LIMIT_MAX, default: VOICES_LIMIT_DEFAULT }),
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});

export const VoiceParams = Type.Object({ voice_id: Type.String({ minLength: 1, maxLength: 128 }) });

export function renderVoiceItem(voice: Voice) {
  return {
    voice_id: voice.voice_id,
    name: voice.name,
    language: voice.language,
    gender: voice.gender,
    preview_audio_url: voice.preview_audio_url,
    support_pause: voice.support_pause,
    support_locale: voice.support_locale,
    type: voice.type,
  };
}

export function renderVoiceDetail(voice: Voice) {
  return {
    voice_id: voice.voice_id,
    name: voice.name,
    language: voice.language,
    gender: voice.gender,
    preview_audio_url: voice.preview_audio_url,
    status: null,
    created_at: null,
    failure_message: null,
    support_pause: voice.support_pause,
    support_interactive_avatar: voice.support_interactive_avatar,
  };
}
