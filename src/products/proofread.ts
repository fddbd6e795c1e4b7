/**
 * Video translation proofread (`/v3/video-translations/proofreads…`, API.md §6.3) as a product:
 * a session per output language that transcribes and translates the source video into subtitles
 * a person reviews before the final render. Enterprise accounts only: every proofread call from
 * another account is `enterprise_only` (403), whatever it asks. The session is priced per second
 * of its source video on the account's own rate card: the default card publishes no proofread
 * rate, so without an operator's `video_translation.proofread` override admission is
 * `product_not_offered` and nothing is held or charged. Generating the final video from a
 * completed session (`translationFromProofread`) is an ordinary video translation job, billed on
 * its own row like any other.
 */

import { getAccount } from '../accounts/accounts.ts';
import type { AppContext } from '../context.ts';
import type { MediaInput } from '../engines/inputs.ts';
import { jobError } from '../jobs/errors.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { lifecycleOf } from '../jobs/lifecycle.ts';
import { pricingError } from '../pricing/errors.ts';
import { assert } from '../shared/assert.ts';
import type { Product } from './product.ts';
import {
  checkOutputLanguages,
  estimateSourceVideo,
  parseTranslationJob,
  type TranslationJobInput,
  type TranslationSpec,
} from './translation.ts';

/** The body of `POST /v3/video-translations/proofreads`: N output languages, a title. */
export type CreateProofreadInput = Omit<TranslationJobInput, 'output_language'> & {
  title: string;
  output_languages: string[];
  srt?: MediaInput | null;
};

/** One proofread session's request: one output language. */
export type ProofreadJobInput = Omit<CreateProofreadInput, 'output_languages'> & {
  output_language: string;
};

export const PROOFREAD_PRODUCT: Product<ProofreadJobInput, TranslationSpec> = {
  kind: 'proofread',
  id_prefix: 'pr',
  noun: 'Proofread',
  id_param: 'proofread_id',
  parse: parseTranslationJob,
  facts: (input, spec) => ({
    title: input.title,
    callback_url: null,
    callback_id: null,
    test: spec.test,
    output_format: 'srt',
  }),
  usage: () => ({ product: 'video_translation_proofread' }),
  estimate: ({ input, spec }, engine) => estimateSourceVideo(input, spec, engine),
  render: (engine, job) => engine.proofreadTranslation(job),
};

/** `enterprise_only` unless the account is an Enterprise account. */
export async function requireEnterprise(ctx: AppContext, account_id: string): Promise<void> {
  const account = await getAccount(ctx, account_id);
  if (account.enterprise) return;
  throw pricingError(
    'enterprise_only',
    'Video translation proofread is available on Enterprise plans only; this account is not ' +
      'an Enterprise account.',
  );
}

/** The sessions of one create request, one per output language in the order given. */
export function splitProofreadRequest(input: CreateProofreadInput): ProofreadJobInput[] {
  const { output_languages, ...fields } = input;
  checkOutputLanguages(output_languages);
  return output_languages.map((output_language) => ({ ...fields, output_language }));
}

export type GenerateFromProofread = {
  translate_audio_only?: boolean;
  captions?: boolean;
  callback_url?: string | null;
  callback_id?: string | null;
};

/**
 * The video translation job that renders a COMPLETED proofread session (`job_not_ready`, 409,
 * before): its source, language, mode and title, with the generate call's options.
 */
export function translationFromProofread(
  proofread: JobRow,
  options: GenerateFromProofread,
): TranslationJobInput {
  const session = completedSession(proofread, 'a video can be generated from');
  return {
    video: session.video,
    output_language: session.output_language,
    title: proofread.title,
    mode: session.mode ?? 'speed',
    input_language: session.input_language ?? null,
    video_duration_ms: session.video_duration_ms ?? null,
    test: session.test ?? null,
    translate_audio_only: options.translate_audio_only === true,
    enable_caption: options.captions === true,
    callback_url: options.callback_url ?? null,
    callback_id: options.callback_id ?? null,
  };
}

/** A completed session's subtitles: the reviewed SRT and the one given at creation, if any. */
export function proofreadSubtitles(proofread: JobRow): {
  srt_url: string;
  original_srt_url: string | null;
} {
  const session = completedSession(proofread, 'subtitles exist for');
  assert(proofread.subtitle_url !== null, `completed proofread ${proofread.id} has subtitles`);
  return {
    srt_url: proofread.subtitle_url,
    original_srt_url: session.srt?.type === 'url' ? (session.srt.url ?? null) : null,
  };
}

/** The request of a completed session; `job_not_ready` (409) while it runs or once it failed. */
function completedSession(proofread: JobRow, only: string): ProofreadJobInput {
  if (proofread.status !== lifecycleOf(proofread.kind).completed) {
    const state = proofread.status === 'failed' ? 'failed' : 'still processing';
    throw jobError(
      'job_not_ready',
      `Proofread ${proofread.id} is ${state}; ${only} a completed proofread only.`,
      'proofread_id',
    );
  }
  return JSON.parse(proofread.request_json) as ProofreadJobInput;
}
