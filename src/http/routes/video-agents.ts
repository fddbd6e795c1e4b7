/**
 * HeyGen's Video Agent routes (API.md §5): create a session (generate or chat mode), read one
 * (with progress and messages), list them (newest first, cursor pages), send a message (chat
 * sessions only), stop one, and list its videos. Each is schema → one domain call → HeyGen's
 * envelope; the writes store their response with the money (`respondIdempotently`).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { listSessionVideos, readSession } from '../../agents/read.ts';
import { createSession, sendMessage, stopSession } from '../../agents/sessions.ts';
import type { JobRow } from '../../jobs/jobs.table.ts';
import { listJobs } from '../../jobs/jobs.ts';
import { accountIdOf } from '../auth-hook.ts';
import { releaseHeldKey, respondIdempotently } from '../idempotent-write.ts';
import { decodePageToken, toPage } from '../pagination.ts';
import {
  CreateVideoAgentBody,
  listSessionsQuery,
  SendMessageBody,
  SessionIdParams,
  toCreateAgentInput,
  toMessageInput,
  toSessionCreated,
  toSessionDetail,
  toSessionListItem,
} from '../schemas/video-agents.ts';
import { toVideoDetail } from '../schemas/video-detail.ts';
import type { RouteOptions } from '../server.ts';

export const videoAgentRoutes: FastifyPluginAsync<RouteOptions> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/v3/video-agents', { schema: { body: CreateVideoAgentBody } }, async (request) => {
    const respond = respondIdempotently(request, (session: JobRow) => ({
      data: toSessionCreated(session),
    }));
    const input = toCreateAgentInput(request.body);
    const body = await createSession(ctx, { account_id: accountIdOf(request), input }, respond);
    releaseHeldKey(request);
    return body;
  });

  const query = listSessionsQuery(ctx.config.limits.page_size_max);
  app.get('/v3/video-agents', { schema: { querystring: query } }, async (request) => {
    const { limit, token } = request.query;
    const rows = await listJobs(ctx.db, {
      account_id: accountIdOf(request),
      kind: 'agent',
      limit,
      after: decodePageToken(token),
      title_contains: null,
    });
    const page = toPage(rows, limit);
    return {
      data: page.items.map(toSessionListItem),
      has_more: page.has_more,
      next_token: page.next_token,
    };
  });

  const params = { params: SessionIdParams };
  app.get('/v3/video-agents/:session_id', { schema: params }, async (request) => {
    const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
    return { data: toSessionDetail(await readSession(ctx.db, ref)) };
  });

  app.post(
    '/v3/video-agents/:session_id',
    { schema: { ...params, body: SendMessageBody } },
    async (request) => {
      const respond = respondIdempotently(request, (sent: { session: JobRow; video: JobRow }) => ({
        data: { session_id: sent.session.id, run_id: sent.video.id, title: sent.session.title },
      }));
      const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
      const input = toMessageInput(request.body);
      const body = await sendMessage(ctx, { ...ref, input }, respond);
      releaseHeldKey(request);
      return body;
    },
  );

  app.post('/v3/video-agents/:session_id/stop', { schema: params }, async (request) => {
    const respond = respondIdempotently(request, (session: JobRow) => ({
      data: { session_id: session.id },
    }));
    const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
    const body = await stopSession(ctx, ref, respond);
    releaseHeldKey(request);
    return body;
  });

  app.get('/v3/video-agents/:session_id/videos', { schema: params }, async (request) => {
    const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
    const videos = await listSessionVideos(ctx.db, ref);
    return { data: videos.map(toVideoDetail), has_more: false, next_token: null };
  });
};
