/**
 * HeyGen's Text-to-Speech route (`POST /v3/voices/speech`, Starfish, API.md §8): synchronous.
 * The request is held, synthesized and settled at the returned duration before it answers
 * (`jobs/run-now.ts`); a failed synthesis costs nothing and answers 422 `render_failed`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { jobError } from '../../jobs/errors.ts';
import { settleJobNow, startJobNow } from '../../jobs/run-now.ts';
import { SPEECH_PRODUCT, synthesize } from '../../products/speech.ts';
import { assert } from '../../shared/assert.ts';
import { payerOf } from '../auth-hook.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { ok } from '../schemas/envelope.ts';
import { CreateSpeechBody, renderSpeech, toCreateSpeechInput } from '../schemas/speech.ts';
import { SpeechCreated } from '../schemas/v3-responses.ts';
import type { RouteOptions } from '../server.ts';

export const speechRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v3/voices/speech',
    { schema: { body: CreateSpeechBody, response: ok(SpeechCreated) } },
    async (request) => {
      const input = toCreateSpeechInput(request.body);
      const run = { ...payerOf(request), input, call: synthesize };
      const started = await startJobNow(ctx, SPEECH_PRODUCT, run);
      return idempotentWrite(ctx, request, {
        write: (tx) => settleJobNow(tx, started),
        failure: (settled) =>
          settled.done ? null : jobError('render_failed', settled.failure_message, null),
        render: (settled) => {
          assert(settled.done, 'a failed render is answered by `failure`');
          return { data: renderSpeech(settled.job, settled.output) };
        },
      });
    },
  );
};
