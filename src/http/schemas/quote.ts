/**
 * The products `POST /billing/v1/quote` can quote, one row each: the `?product=` value (the
 * create call's resource), the product and the create call's body schema. A new product that
 * admits jobs adds its row here and is quotable.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import { AVATAR_TRAINING_PRODUCT } from '../../products/avatar-training.ts';
import { LIPSYNC_PRODUCT } from '../../products/lipsync.ts';
import type { AnyProduct } from '../../products/product.ts';
import { SPEECH_PRODUCT } from '../../products/speech.ts';
import { VIDEO_PRODUCT } from '../../products/video.ts';
import { createValidatorCompiler } from '../validation.ts';
import { CreateAvatarBody } from './avatars.ts';
import { CreateLipsyncBody } from './lipsyncs.ts';
import { CreateSpeechBody } from './speech.ts';
import { CreateVideoBody } from './videos.ts';

const QUOTABLE = {
  videos: { product: VIDEO_PRODUCT, body: CreateVideoBody },
  lipsyncs: { product: LIPSYNC_PRODUCT, body: CreateLipsyncBody },
  avatars: { product: AVATAR_TRAINING_PRODUCT, body: CreateAvatarBody },
  speech: { product: SPEECH_PRODUCT, body: CreateSpeechBody },
} satisfies Record<string, { product: AnyProduct; body: object }>;

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
  return { product: QUOTABLE[name].product, input: body };
}
