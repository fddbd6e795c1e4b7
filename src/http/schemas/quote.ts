/**
 * The products `POST /billing/v1/quote` can quote, one row each: the `?product=` value (the
 * create call's resource), the product and the create call's body schema. A new product that
 * admits jobs adds its row here and is quotable.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import { AGENT_VIDEO_PRODUCT } from '../../products/agent.ts';
import { AVATAR_TRAINING_PRODUCT } from '../../products/avatar-training.ts';
import { LIPSYNC_PRODUCT } from '../../products/lipsync.ts';
import type { AnyProduct } from '../../products/product.ts';
import { PROOFREAD_PRODUCT, splitProofreadRequest } from '../../products/proofread.ts';
import { SPEECH_PRODUCT } from '../../products/speech.ts';
import { splitTranslationRequest, TRANSLATION_PRODUCT } from '../../products/translation.ts';
import { VIDEO_PRODUCT } from '../../products/video.ts';
import { createValidatorCompiler } from '../validation.ts';
import { CreateAvatarBody } from './avatars.ts';
import { CreateLipsyncBody } from './lipsyncs.ts';
import { CreateProofreadBody } from './proofreads.ts';
import { CreateSpeechBody } from './speech.ts';
import { CreateVideoAgentBody } from './video-agents.ts';
import { CreateVideoTranslationBody } from './video-translations.ts';
import { CreateVideoBody } from './videos.ts';

const QUOTABLE = {
  videos: { product: VIDEO_PRODUCT, body: CreateVideoBody },
  lipsyncs: { product: LIPSYNC_PRODUCT, body: CreateLipsyncBody },
  // A request with N output languages is N jobs: the quote is the hold of each (the first's).
  'video-translations': {
    product: TRANSLATION_PRODUCT,
    body: CreateVideoTranslationBody,
    toInput: (body: never) => splitTranslationRequest(body)[0],
  },
  proofreads: {
    product: PROOFREAD_PRODUCT,
    body: CreateProofreadBody,
    toInput: (body: never) => splitProofreadRequest(body)[0],
  },
  // The hold of the session's first video (each video is held on its own).
  'video-agents': { product: AGENT_VIDEO_PRODUCT, body: CreateVideoAgentBody },
  avatars: { product: AVATAR_TRAINING_PRODUCT, body: CreateAvatarBody },
  speech: { product: SPEECH_PRODUCT, body: CreateSpeechBody },
} satisfies Record<
  string,
  { product: AnyProduct; body: object; toInput?: (body: never) => unknown }
>;

type Quotable = keyof typeof QUOTABLE;

export const QuoteQuery = Type.Object({
  product: Type.Enum(Object.keys(QUOTABLE) as Quotable[], { default: 'videos' }),
});

const compile = createValidatorCompiler();
const VALIDATORS = Object.fromEntries(
  Object.entries(QUOTABLE).map(([name, row]) => [
    name,
    compile({ schema: row.body, method: 'POST', url: `/v3/${name}`, httpPart: 'body' }),
  ]),
) as Record<Quotable, ReturnType<typeof compile>>;

/**
 * Checks `body` against the create schema of `product` (with its defaults applied), failing as
 * Fastify's own validation does: a 400 naming the offending field.
 */
export function validateQuoteBody(
  name: Quotable,
  body: unknown,
): { product: AnyProduct; input: unknown } {
  const validate = VALIDATORS[name] as ((data: unknown) => boolean) & {
    errors?: FastifySchemaValidationError[] | null;
  };
  if (!validate(body)) {
    const err = new Error('The request body is invalid.') as Error & {
      validation: FastifySchemaValidationError[];
      validationContext: string;
    };
    err.validation = validate.errors ?? [];
    err.validationContext = 'body';
    throw err;
  }
  const row: { product: AnyProduct; toInput?: (body: never) => unknown } = QUOTABLE[name];
  return { product: row.product, input: row.toInput ? row.toInput(body as never) : body };
}
