/**
 * HeyGen's video routes: create (`POST /v3/videos`), read, list (newest first, cursor pages) and
 * delete. Each is schema → one jobs-domain call → HeyGen's envelope.
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { deleteVideo } from '../../jobs/cancel.ts';
import { getJob, listJobs } from '../../jobs/jobs.ts';
import { prepareAdmission } from '../../jobs/submit.ts';
import { VIDEO_PRODUCT } from '../../products/video.ts';
import { accountIdOf, payerOf } from '../auth-hook.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, renderPage } from '../pagination.ts';
import { dataOf, ok, pageOf } from '../schemas/envelope.ts';
import { Deleted, VideoCreated, VideoDetail } from '../schemas/v3-responses.ts';
import { toVideoDetail } from '../schemas/video-detail.ts';
import { CreateVideoBody, listVideosQuery, VideoIdParams } from '../schemas/videos.ts';
import type { RouteOptions } from '../server.ts';

export const videoRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v3/videos',
    { schema: { body: CreateVideoBody, response: ok(VideoCreated) } },
    async (request) => {
      const input = request.body;
      checkCallbackUrl(ctx.config, input.callback_url);
      const admission = await prepareAdmission(ctx, VIDEO_PRODUCT, {
        ...payerOf(request),
        input,
      });
      return idempotentWrite(ctx, request, {
        admit: admission,
        render: (job) => ({
          data: { video_id: job.id, status: 'pending', output_format: job.output_format },
        }),
      });
    },
  );

  app.get(
    '/v3/videos/:video_id',
    { schema: { params: VideoIdParams, response: ok(dataOf(VideoDetail)) } },
    async (request) => {
      const job = await getJob(ctx.db, {
        account_id: accountIdOf(request),
        kind: 'video',
        job_id: request.params.video_id,
      });
      return { data: toVideoDetail(job) };
    },
  );

  const query = listVideosQuery(ctx.config.limits.page_size_max);
  app.get(
    '/v3/videos',
    { schema: { querystring: query, response: ok(pageOf(VideoDetail)) } },
    async (request) => {
      const { limit, token, title, folder_id } = request.query;
      // Tollgate has no folders: no video is in one.
      if (folder_id !== undefined) return { data: [], has_more: false, next_token: null };
      const rows = await listJobs(ctx.db, {
        account_id: accountIdOf(request),
        kind: 'video',
        limit,
        after: decodePageToken(token),
        title_contains: title ?? null,
      });
      return renderPage(rows, limit, toVideoDetail);
    },
  );

  app.delete(
    '/v3/videos/:video_id',
    { schema: { params: VideoIdParams, response: ok(Deleted) } },
    async (request) => {
      const deleted = await deleteVideo(ctx, {
        account_id: accountIdOf(request),
        job_id: request.params.video_id,
      });
      return { data: { id: deleted.id, deleted: true } };
    },
  );
};
