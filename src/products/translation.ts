/**
 * Video translation (`POST /v3/video-translations`, API.md §6.1) as a product. One request names
 * N output languages and becomes N jobs, one per language (`splitTranslationRequest`), each its
 * own resource, hold and charge. A translation's output lasts as long as its SOURCE video, priced
 * per second on the mode's row: speed audio-only $0.0167/s, speed lip sync $0.0333/s, precision
 * lip sync $0.0667/s (precision audio-only is not offered: `product_not_offered` naming
 * `translate_audio_only`). The hold is the source's declared `video_duration_ms` (a Tollgate
 * extension), else its probed length, else one hour (docs/estimates.md).
 */
import { isTranslationLanguage } from '../catalog/translation-languages.ts';
import type { Prober } from '../engines/engine.ts';
import type { MediaInput, TranslationInput } from '../engines/inputs.ts';
import { jobError } from '../jobs/errors.ts';
import { estimateFromSource, requireMediaSource } from './media.ts';
import type { Estimate, Product } from './product.ts';

/** A source video of unknown length is held at an hour: the longest output a job is billed for. */
export const VIDEO_DURATION_MS_UNDECLARED = 3_600_000n;
/** The most output languages one request may name (each is a job with its own slot). */
export const OUTPUT_LANGUAGES_MAX = 20;

/** The fields every translation job (and proofread) shares, besides its languages. */
type TranslationFields = Omit<TranslationInput, 'output_language'> & {
  input_language?: string | null;
  /** Custom dubbing audio. */
  audio?: MediaInput | null;
  callback_url?: string | null;
  callback_id?: string | null;
  folder_id?: string | null;
  start_time?: number | null;
  end_time?: number | null;
  /** Tollgate extension: a free test job that holds and charges nothing. */
  test?: boolean | null;
};

/** The body of `POST /v3/video-translations`: N output languages. */
export type CreateTranslationInput = TranslationFields & { output_languages: string[] };

/** One job's request: the body with ONE output language in place of the list. */
export type TranslationJobInput = TranslationFields & { output_language: string };

export type TranslationSpec = {
  mode: 'speed' | 'precision';
  audio_only: boolean;
  declared_video_ms: bigint | null;
  test: boolean;
};

export const TRANSLATION_PRODUCT: Product<TranslationJobInput, TranslationSpec> = {
  kind: 'translation',
  id_prefix: 'vt',
  noun: 'Video translation',
  id_param: 'video_translation_id',
  parse: parseTranslationJob,
  facts: (input, spec) => ({
    title: input.title ?? null,
    callback_url: input.callback_url ?? null,
    callback_id: input.callback_id ?? null,
    test: spec.test,
    output_format: 'mp4',
  }),
  usage: (spec) => ({ product: 'video_translation', mode: spec.mode, audio_only: spec.audio_only }),
  estimate: ({ input, spec }, engine) => estimateSourceVideo(input, spec, engine),
  render: (engine, job) => engine.translateVideo(job),
};

/**
 * The jobs of one create request, one per output language in the order given. Each language
 * must be one `GET /v3/video-translations/languages` lists, named once.
 */
export function splitTranslationRequest(input: CreateTranslationInput): TranslationJobInput[] {
  const { output_languages, ...fields } = input;
  checkOutputLanguages(output_languages);
  return output_languages.map((output_language) => ({ ...fields, output_language }));
}

export function checkOutputLanguages(languages: readonly string[]): void {
  const seen = new Set<string>();
  languages.forEach((language, index) => {
    const param = `output_languages.${index}`;
    if (!isTranslationLanguage(language)) {
      throw jobError(
        'invalid_job_request',
        `'${language}' is not a supported output language; ` +
          'see GET /v3/video-translations/languages.',
        param,
      );
    }
    if (seen.has(language)) {
      throw jobError('invalid_job_request', `'${language}' is named twice.`, param);
    }
    seen.add(language);
  });
}

/** The rules between fields: the media input has its type's field; a partial range is ordered. */
export function parseTranslationJob(input: TranslationJobInput): TranslationSpec {
  requireMediaSource(input.video, 'video');
  if (input.audio) requireMediaSource(input.audio, 'audio');
  const start = input.start_time ?? null;
  const end = input.end_time ?? null;
  if (start !== null && end !== null && end <= start) {
    throw jobError('invalid_job_request', 'end_time must be after start_time.', 'end_time');
  }
  const declared = input.video_duration_ms;
  return {
    mode: input.mode ?? 'speed',
    audio_only: input.translate_audio_only === true,
    declared_video_ms: typeof declared === 'number' ? BigInt(declared) : null,
    test: input.test === true,
  };
}

/** The output lasts as long as the source video: declared, else probed, else an hour. */
export function estimateSourceVideo(
  input: { video: MediaInput },
  spec: { declared_video_ms: bigint | null },
  engine: Prober,
): Estimate {
  return estimateFromSource(engine, {
    source: input.video,
    declared_ms: spec.declared_video_ms,
    declared_rule: 'declared_video_duration',
    unknown: { duration_ms: VIDEO_DURATION_MS_UNDECLARED, rule: 'video_limit_3600_s' },
  });
}
