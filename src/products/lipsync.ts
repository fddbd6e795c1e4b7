/**
 * Lipsync (`POST /v3/lipsyncs`, API.md §7) as a product: it replaces a video's audio and
 * re-animates the lips, so its output lasts as long as its NEW audio. Priced per second of output
 * (speed $0.0333/s, precision $0.0667/s). The hold is sized from the audio's declared
 * `audio_duration_ms` (a Tollgate extension), else its probed length, else HeyGen's 10-minute
 * audio limit (docs/estimates.md).
 */
import type { LipsyncInput } from '../engines/inputs.ts';
import { jobError } from '../jobs/errors.ts';
import { AUDIO_DURATION_MS_UNDECLARED } from '../jobs/quote.ts';
import { estimateFromSource, requireMediaSource } from './media.ts';
import type { Product } from './product.ts';

export type CreateLipsyncInput = LipsyncInput & {
  mode?: 'speed' | 'precision' | null;
  start_time?: number | null;
  end_time?: number | null;
  callback_url?: string | null;
  callback_id?: string | null;
  folder_id?: string | null;
  /** Tollgate extension: a free test job that holds and charges nothing. */
  test?: boolean | null;
};

export type LipsyncSpec = {
  mode: 'speed' | 'precision';
  declared_audio_ms: bigint | null;
  test: boolean;
};

export const LIPSYNC_PRODUCT: Product<CreateLipsyncInput, LipsyncSpec> = {
  kind: 'lipsync',
  id_prefix: 'lipsync',
  noun: 'Lipsync',
  id_param: 'lipsync_id',
  parse: parseLipsyncInput,
  facts: (input, spec) => ({
    title: input.title ?? null,
    callback_url: input.callback_url ?? null,
    callback_id: input.callback_id ?? null,
    test: spec.test,
    output_format: 'mp4',
  }),
  usage: (spec) => ({ product: 'lipsync', mode: spec.mode }),
  estimate: ({ input, spec }, engine) =>
    estimateFromSource(engine, {
      source: input.audio,
      declared_ms: spec.declared_audio_ms,
      declared_rule: 'declared_audio_duration',
      unknown: { duration_ms: AUDIO_DURATION_MS_UNDECLARED, rule: 'audio_limit_600_s' },
    }),
  render: (engine, job) => engine.lipsync(job),
};

/** The rules between fields: each media input has its type's field; a partial range is ordered. */
export function parseLipsyncInput(input: CreateLipsyncInput): LipsyncSpec {
  requireMediaSource(input.video, 'video');
  requireMediaSource(input.audio, 'audio');
  const start = input.start_time ?? null;
  const end = input.end_time ?? null;
  if (start !== null && end !== null && end <= start) {
    throw jobError('invalid_job_request', 'end_time must be after start_time.', 'end_time');
  }
  const declared = input.audio_duration_ms;
  return {
    mode: input.mode ?? 'speed',
    declared_audio_ms: typeof declared === 'number' ? BigInt(declared) : null,
    test: input.test === true,
  };
}
