/** Liveness and readiness: `/healthz` answers while the process runs, `/readyz` once the database does. */

import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { RouteOptions } from '../server.ts';

export const healthRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get('/healthz', async () => ({ data: { status: 'ok' } }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { data: { status: 'ready' } };
    } catch {
      return reply.code(503).send({ data: { status: 'database_unavailable' } });
    }
  });
};
