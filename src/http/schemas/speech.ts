/**
 * Wire schemas of `POST /v3/voices/speech` (Starfish Text-to-Speech, API.md §8): the body (also a
 * body of `POST /billing/v1/quote?product=speech`) with HeyGen's limits — text 1–5,000
 * characters, speed 0.5–2.0 — and HeyGen's response, with Tollgate's `billing` beside it.
 */
import { type Static, Type } from 'typebox';
import type { JobRow } from '../../jobs/jobs.table.ts';
import { SCRIPT_CHARS_MAX } from '../../jobs/video-input.ts';
import type { CreateSpeechInput, SpeechOutput } from '../../products/speech.ts';
import { assert } from '../../shared/assert.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { nullableString } from './nullable.ts';

export const SPEECH_SPEED_MIN = 0.5;
export const SPEECH_SPEED_MAX = 2;

export const CreateSpeechBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: SCRIPT_CHARS_MAX }),
  voice_id: Type.String({ minLength: 1, maxLength: 128 }),
  input_type: Type.Optional(Type.Enum(['text', 'ssml'], { default: 'text' })),
  speed: Type.Optional(
    Type.Number({ minimum: SPEECH_SPEED_MIN, maximum: SPEECH_SPEED_MAX, default: 1 }),
  ),
  language: nullableString({ minLength: 1, maxLength: 16 }),
  locale: nullableString({ minLength: 1, maxLength: 35 }),
});

// The wire schema and the domain's input type must describe the same body.
export type CreateSpeechBody = Static<typeof CreateSpeechBody>;
export const toCreateSpeechInput = (body: CreateSpeechBody): CreateSpeechInput => body;

/** HeyGen's speech response for a completed, charged speech job. */
export function renderSpeech(job: JobRow, output: SpeechOutput) {
  const charged = job.charged_amount_micro_usd;
  assert(job.duration_ms !== null && charged !== null, `speech ${job.id} is finished`);
  return {
    audio_url: output.audio_url,
    duration: Number(job.duration_ms) / 1000,
    request_id: job.id,
    word_timestamps: output.word_timestamps,
    billing: {
      rate_card_version: job.rate_card_version,
      sku: job.sku,
      estimate_rule: job.estimate_rule,
      hold_amount_micro_usd: job.hold_amount_micro_usd,
      charged_amount_micro_usd: charged,
      charged_usd: formatMicroUsd(charged),
    },
  };
}
