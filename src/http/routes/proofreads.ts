/**
 * HeyGen's proofread routes (API.md §6.3): create sessions (one per output language), read one,
 * its subtitles, and generate the final video translation from a completed session. Enterprise
 * accounts only: a hook answers every other account `enterprise_only` (403) before anything else.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { getJob } from '../../jobs/jobs.ts';
import { admitJob, admitJobs, prepareAdmission } from '../../jobs/submit.ts';
import {
  PROOFREAD_PRODUCT,
  proofreadSubtitles,
  requireEnterprise,
  splitProofreadRequest,
  translationFromProofread,
} from '../../products/proofread.ts';
import { TRANSLATION_PRODUCT } from '../../products/translation.ts';
import { accountIdOf, payerOf } from '../auth-hook.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { dataOf, Nullable, ok } from '../schemas/envelope.ts';
import {
  CreateProofreadBody,
  GenerateFromProofreadBody,
  ProofreadIdParams,
  toCreateProofreadInput,
  toProofreadDetail,
} from '../schemas/proofreads.ts';
import { ProofreadDetail } from '../schemas/v3-responses.ts';
import type { RouteOptions } from '../server.ts';

const PATH = '/v3/video-translations/proofreads';

export const proofreadRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('preValidation', async (request) => requireEnterprise(ctx, accountIdOf(request)));

  app.post(
    PATH,
    {
      schema: {
        body: CreateProofreadBody,
        response: ok(
          dataOf(
            Type.Object({
              proofread_ids: Type.Array(Type.String()),
              status: Type.Literal('processing'),
            }),
          ),
        ),
      },
    },
    async (request) => {
      const inputs = splitProofreadRequest(toCreateProofreadInput(request.body));
      const payer = payerOf(request);
      const admissions = await Promise.all(
        inputs.map((input) => prepareAdmission(ctx, PROOFREAD_PRODUCT, { ...payer, input })),
      );
      return idempotentWrite(ctx, request, {
        write: (tx) => admitJobs(tx, admissions),
        render: (jobs) => ({
          data: { proofread_ids: jobs.map((job) => job.id), status: 'processing' },
        }),
      });
    },
  );

  const sessionOf = (request: { params: { proofread_id: string } }, account_id: string) =>
    getJob(ctx.db, {
      account_id,
      kind: PROOFREAD_PRODUCT.kind,
      job_id: request.params.proofread_id,
    });
  const params = { params: ProofreadIdParams };

  app.get(
    `${PATH}/:proofread_id`,
    { schema: { ...params, response: ok(dataOf(ProofreadDetail)) } },
    async (request) => ({
      data: toProofreadDetail(await sessionOf(request, accountIdOf(request))),
    }),
  );

  app.get(
    `${PATH}/:proofread_id/srt`,
    {
      schema: {
        ...params,
        response: ok(
          dataOf(
            Type.Object({ srt_url: Type.String(), original_srt_url: Nullable(Type.String()) }),
          ),
        ),
      },
    },
    async (request) => ({
      data: proofreadSubtitles(await sessionOf(request, accountIdOf(request))),
    }),
  );

  app.post(
    `${PATH}/:proofread_id/generate`,
    {
      schema: {
        ...params,
        body: GenerateFromProofreadBody,
        response: ok(
          dataOf(
            Type.Object({
              video_translation_id: Type.String(),
              status: Type.Literal('processing'),
            }),
          ),
        ),
      },
    },
    async (request) => {
      checkCallbackUrl(ctx.config, request.body.callback_url);
      const payer = payerOf(request);
      const input = translationFromProofread(
        await sessionOf(request, payer.account_id),
        request.body,
      );
      const admission = await prepareAdmission(ctx, TRANSLATION_PRODUCT, { ...payer, input });
      return idempotentWrite(ctx, request, {
        write: (tx) => admitJob(tx, admission),
        render: (job) => ({ data: { video_translation_id: job.id, status: 'processing' } }),
      });
    },
  );
};
