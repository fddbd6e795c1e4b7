/**
 * HeyGen's Text-to-Speech route (`POST /v3/voices/speech`, Starfish, API.md §8): synchronous.
 * The request is held, synthesized and settled at the returned duration before it answers
 * (`jobs/run-now.ts`); a failed synthesis costs nothing and answers 422 `render_failed`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { JobRow } from '../../jobs/jobs.table.ts';
import { runJobNow } from '../../jobs/run-now.ts';
import { SPEECH_PRODUCT, type SpeechOutput, synthesize } from '../../products/speech.ts';
import { accountIdOf } from '../auth-hook.ts';
import { releaseHeldKey, respondIdempotently } from '../idempotent-write.ts';
import { CreateSpeechBody, renderSpeech, toCreateSpeechInput } from '../schemas/speech.ts';
import type { RouteOptions } from '../server.ts';

type Spoken = { job: JobRow; output: SpeechOutput };

export const speechRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/v3/voices/speech', { schema: { body: CreateSpeechBody } }, async (request) => {
    const respond = respondIdempotently(request, ({ job, output }: Spoken) => ({
      data: renderSpeech(job, output),
    }));
    const input = toCreateSpeechInput(request.body);
    const body = await runJobNow(
      ctx,
      SPEECH_PRODUCT,
      { account_id: accountIdOf(request), input, call: synthesize },
      (tx, job, output) => respond(tx, { job, output }),
    );
    releaseHeldKey(request);
    return body;
  });
};
