/**
 * Wire schemas of the proofread routes (API.md §6.3): the body of
 * `POST /v3/video-translations/proofreads` (also quotable as `?product=proofreads`), of
 * `POST …/{proofread_id}/generate`, the path parameter, and HeyGen's proofread resource.
 */
import { type Static, Type } from 'typebox';
import type { JobRow } from '../../jobs/jobs.table.ts';
import type { CreateProofreadInput, ProofreadJobInput } from '../../products/proofread.ts';
import { nullableString } from './nullable.ts';
import { toBilling } from './video-detail.ts';
import { OutputLanguages, SOURCE_FIELDS } from './video-translations.ts';

export const CreateProofreadBody = Type.Object(
  {
    ...SOURCE_FIELDS,
    output_languages: OutputLanguages,
    title: Type.String({ minLength: 1, maxLength: 255 }),
    enable_video_stretching: Type.Optional(Type.Boolean({ default: false })),
    keep_the_same_format: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

// The wire schema and the domain's input type must describe the same body.
export type CreateProofreadBody = Static<typeof CreateProofreadBody>;
export const toCreateProofreadInput = (body: CreateProofreadBody): CreateProofreadInput => body;

export const GenerateFromProofreadBody = Type.Object(
  {
    captions: Type.Optional(Type.Boolean({ default: false })),
    translate_audio_only: Type.Optional(Type.Boolean({ default: false })),
    callback_url: nullableString({ minLength: 1, maxLength: 2_048 }),
    callback_id: nullableString({ maxLength: 255 }),
  },
  { additionalProperties: false },
);

export const ProofreadIdParams = Type.Object({
  proofread_id: Type.String({ minLength: 1, maxLength: 128 }),
});

export type ProofreadStatus = 'processing' | 'completed' | 'failed';

/** A proofread job as HeyGen's proofread resource, with Tollgate's `billing` beside it. */
export function toProofreadDetail(job: JobRow) {
  const request = JSON.parse(job.request_json) as ProofreadJobInput;
  const ended = job.status === 'completed' || job.status === 'failed';
  return {
    id: job.id,
    // HeyGen shows a session as processing until it ends (queued included).
    status: (ended ? job.status : 'processing') as ProofreadStatus,
    title: job.title,
    input_language: request.input_language ?? null,
    output_language: request.output_language,
    submitted_for_review: false,
    created_at: Number(job.created_at_ms / 1000n),
    failure_message: job.failure_message,
    billing: toBilling(job),
  };
}
