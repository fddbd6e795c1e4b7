/**
 * HeyGen's video translation routes (API.md §6.1–6.2): create (one job per output language, one
 * id each), read, list (newest first, cursor pages), rename (`PATCH`, the title), delete, and the
 * supported output languages. Each is schema → one domain call → HeyGen's envelope.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { TRANSLATION_LANGUAGES } from '../../catalog/translation-languages.ts';
import { deleteJob } from '../../jobs/cancel.ts';
import { getJob, listJobs, renameJob } from '../../jobs/jobs.ts';
import { admitJobs, prepareAdmission } from '../../jobs/submit.ts';
import { splitTranslationRequest, TRANSLATION_PRODUCT } from '../../products/translation.ts';
import { accountIdOf, payerOf } from '../auth-hook.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, renderPage } from '../pagination.ts';
import { dataOf, ok, pageOf } from '../schemas/envelope.ts';
import { Deleted, VideoTranslationDetail } from '../schemas/v3-responses.ts';
import {
  CreateVideoTranslationBody,
  listVideoTranslationsQuery,
  toCreateTranslationInput,
  toVideoTranslationDetail,
  UpdateVideoTranslationBody,
  VideoTranslationIdParams,
} from '../schemas/video-translations.ts';
import type { RouteOptions } from '../server.ts';

const KIND = TRANSLATION_PRODUCT.kind;
const PATH = '/v3/video-translations';

export const videoTranslationRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    PATH,
    {
      schema: {
        body: CreateVideoTranslationBody,
        response: ok(dataOf(Type.Object({ video_translation_ids: Type.Array(Type.String()) }))),
      },
    },
    async (request) => {
      checkCallbackUrl(ctx.config, request.body.callback_url);
      const payer = payerOf(request);
      const inputs = splitTranslationRequest(toCreateTranslationInput(request.body));
      const admissions = await Promise.all(
        inputs.map((input) => prepareAdmission(ctx, TRANSLATION_PRODUCT, { ...payer, input })),
      );
      return idempotentWrite(ctx, request, {
        write: (tx) => admitJobs(tx, admissions),
        render: (jobs) => ({ data: { video_translation_ids: jobs.map((job) => job.id) } }),
      });
    },
  );

  app.get(
    `${PATH}/languages`,
    { schema: { response: ok(dataOf(Type.Object({ languages: Type.Array(Type.String()) }))) } },
    async () => ({ data: { languages: TRANSLATION_LANGUAGES } }),
  );

  const params = { params: VideoTranslationIdParams };
  const refOf = (request: { params: { video_translation_id: string } }, account_id: string) => ({
    account_id,
    kind: KIND,
    job_id: request.params.video_translation_id,
  });

  app.get(
    `${PATH}/:video_translation_id`,
    { schema: { ...params, response: ok(dataOf(VideoTranslationDetail)) } },
    async (request) => ({
      data: toVideoTranslationDetail(await getJob(ctx.db, refOf(request, accountIdOf(request)))),
    }),
  );

  const query = listVideoTranslationsQuery(ctx.config.limits.page_size_max);
  app.get(
    PATH,
    { schema: { querystring: query, response: ok(pageOf(VideoTranslationDetail)) } },
    async (request) => {
      const { limit, token } = request.query;
      const rows = await listJobs(ctx.db, {
        account_id: accountIdOf(request),
        kind: KIND,
        limit,
        after: decodePageToken(token),
        title_contains: null,
      });
      return renderPage(rows, limit, toVideoTranslationDetail);
    },
  );

  app.patch(
    `${PATH}/:video_translation_id`,
    {
      schema: {
        ...params,
        body: UpdateVideoTranslationBody,
        response: ok(dataOf(VideoTranslationDetail)),
      },
    },
    async (request) => {
      const ref = refOf(request, accountIdOf(request));
      const job = await renameJob(ctx.db, { ...ref, title: request.body.title });
      return { data: toVideoTranslationDetail(job) };
    },
  );

  app.delete(
    `${PATH}/:video_translation_id`,
    { schema: { ...params, response: ok(Deleted) } },
    async (request) => {
      const deleted = await deleteJob(ctx, refOf(request, accountIdOf(request)));
      return { data: { id: deleted.id } };
    },
  );
};
