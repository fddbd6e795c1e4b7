/**
 * HeyGen's Video Agent routes (API.md §5): create a session (generate or chat mode), read one
 * (with progress and messages), list them (newest first, cursor pages), send a message (chat
 * sessions only), stop one, and list its videos. Each is schema → one domain call → HeyGen's
 * envelope; the writes store their response with the money (`idempotentWrite`).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { listSessionVideos, readSession } from '../../agents/read.ts';
import { createSession, sendMessage, stopSession } from '../../agents/sessions.ts';
import { listJobs } from '../../jobs/jobs.ts';
import { accountIdOf, payerOf } from '../auth-hook.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, renderPage } from '../pagination.ts';
import { ok, pageOf } from '../schemas/envelope.ts';
import {
  AgentMessageSent,
  AgentSessionCreated,
  AgentSessionDetail,
  AgentSessionPage,
  AgentSessionStopped,
  VideoDetail,
} from '../schemas/v3-responses.ts';
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

  app.post(
    '/v3/video-agents',
    { schema: { body: CreateVideoAgentBody, response: ok(AgentSessionCreated) } },
    async (request) => {
      checkCallbackUrl(ctx.config, request.body.callback_url);
      const created = { ...payerOf(request), input: toCreateAgentInput(request.body) };
      return idempotentWrite(ctx, request, {
        write: (tx) => createSession(tx, created),
        render: (session) => ({ data: toSessionCreated(session) }),
      });
    },
  );

  const query = listSessionsQuery(ctx.config.limits.page_size_max);
  app.get(
    '/v3/video-agents',
    { schema: { querystring: query, response: ok(AgentSessionPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const rows = await listJobs(ctx.db, {
        account_id: accountIdOf(request),
        kind: 'agent',
        limit,
        after: decodePageToken(token),
        title_contains: null,
      });
      return renderPage(rows, limit, toSessionListItem);
    },
  );

  const params = { params: SessionIdParams };
  app.get(
    '/v3/video-agents/:session_id',
    { schema: { ...params, response: ok(AgentSessionDetail) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
      return { data: toSessionDetail(await readSession(ctx.db, ref)) };
    },
  );

  app.post(
    '/v3/video-agents/:session_id',
    { schema: { ...params, body: SendMessageBody, response: ok(AgentMessageSent) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
      const input = toMessageInput(request.body);
      return idempotentWrite(ctx, request, {
        write: (tx) => sendMessage(tx, { ...ref, input }),
        render: ({ session, video }) => ({
          data: { session_id: session.id, run_id: video.id, title: session.title },
        }),
      });
    },
  );

  app.post(
    '/v3/video-agents/:session_id/stop',
    { schema: { ...params, response: ok(AgentSessionStopped) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
      return idempotentWrite(ctx, request, {
        write: (tx) => stopSession(tx, ref),
        render: (session) => ({ data: { session_id: session.id } }),
      });
    },
  );

  app.get(
    '/v3/video-agents/:session_id/videos',
    { schema: { ...params, response: ok(pageOf(VideoDetail)) } },
    async (request) => {
      const ref = { account_id: accountIdOf(request), session_id: request.params.session_id };
      const videos = await listSessionVideos(ctx.db, ref);
      return { data: videos.map(toVideoDetail), has_more: false, next_token: null };
    },
  );
};
