/**
 * HeyGen's lipsync routes (API.md §7): create, read, list (newest first, cursor pages), rename
 * (`PATCH`, the title) and delete. Each is schema → one jobs-domain call → HeyGen's envelope.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { deleteJob } from '../../jobs/cancel.ts';
import { getJob, listJobs, renameJob } from '../../jobs/jobs.ts';
import { admitJob, prepareAdmission } from '../../jobs/submit.ts';
import { LIPSYNC_PRODUCT } from '../../products/lipsync.ts';
import { accountIdOf, payerOf } from '../auth-hook.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, renderPage } from '../pagination.ts';
import { dataOf, ok, pageOf } from '../schemas/envelope.ts';
import {
  CreateLipsyncBody,
  LipsyncIdParams,
  listLipsyncsQuery,
  toCreateLipsyncInput,
  toLipsyncDetail,
  UpdateLipsyncBody,
} from '../schemas/lipsyncs.ts';
import { Deleted, LipsyncDetail } from '../schemas/v3-responses.ts';
import type { RouteOptions } from '../server.ts';

const KIND = LIPSYNC_PRODUCT.kind;

export const lipsyncRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v3/lipsyncs',
    {
      schema: {
        body: CreateLipsyncBody,
        response: ok(dataOf(Type.Object({ lipsync_id: Type.String() }))),
      },
    },
    async (request) => {
      checkCallbackUrl(ctx.config, request.body.callback_url);
      const input = toCreateLipsyncInput(request.body);
      const admission = await prepareAdmission(ctx, LIPSYNC_PRODUCT, {
        ...payerOf(request),
        input,
      });
      return idempotentWrite(ctx, request, {
        write: (tx) => admitJob(tx, admission),
        render: (job) => ({ data: { lipsync_id: job.id } }),
      });
    },
  );

  app.get(
    '/v3/lipsyncs/:lipsync_id',
    { schema: { params: LipsyncIdParams, response: ok(dataOf(LipsyncDetail)) } },
    async (request) => {
      const ref = {
        account_id: accountIdOf(request),
        kind: KIND,
        job_id: request.params.lipsync_id,
      };
      return { data: toLipsyncDetail(await getJob(ctx.db, ref)) };
    },
  );

  const query = listLipsyncsQuery(ctx.config.limits.page_size_max);
  app.get(
    '/v3/lipsyncs',
    { schema: { querystring: query, response: ok(pageOf(LipsyncDetail)) } },
    async (request) => {
      const { limit, token } = request.query;
      const rows = await listJobs(ctx.db, {
        account_id: accountIdOf(request),
        kind: KIND,
        limit,
        after: decodePageToken(token),
        title_contains: null,
      });
      return renderPage(rows, limit, toLipsyncDetail);
    },
  );

  app.patch(
    '/v3/lipsyncs/:lipsync_id',
    {
      schema: {
        params: LipsyncIdParams,
        body: UpdateLipsyncBody,
        response: ok(dataOf(LipsyncDetail)),
      },
    },
    async (request) => {
      const job = await renameJob(ctx.db, {
        account_id: accountIdOf(request),
        kind: KIND,
        job_id: request.params.lipsync_id,
        title: request.body.title,
      });
      return { data: toLipsyncDetail(job) };
    },
  );

  app.delete(
    '/v3/lipsyncs/:lipsync_id',
    { schema: { params: LipsyncIdParams, response: ok(Deleted) } },
    async (request) => {
      const ref = {
        account_id: accountIdOf(request),
        kind: KIND,
        job_id: request.params.lipsync_id,
      };
      const deleted = await deleteJob(ctx, ref);
      return { data: { id: deleted.id } };
    },
  );
};
