/**
 * Liveness and readiness, unauthenticated and outside the customer scope (no API key, no
 * concurrency slot, no idempotency), each a few cheap checks. `/healthz` answers 200 while the
 * process runs. `/readyz` answers 200 when the database answers, every migration is applied and
 * the job worker ticked recently (`health/readiness.ts`), else 503 naming each failed check in
 * `reasons`.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { createReadiness } from '../../health/readiness.ts';
import type { PublicRouteOptions } from '../server.ts';

const READINESS_REASONS = [
  'database_unavailable',
  'migrations_pending',
  'worker_stale',
  'worker_stuck',
] as const;

const ReadinessBody = Type.Object({
  data: Type.Object({
    status: Type.Enum(['ready', 'not_ready']),
    reasons: Type.Array(Type.Enum([...READINESS_REASONS]), {
      description: 'Every failed check; empty when ready.',
    }),
    checks: Type.Object({
      database: Type.Enum(['ok', 'database_unavailable']),
      migrations: Type.Enum(['ok', 'migrations_pending', 'unknown']),
      migrations_pending: Type.Array(Type.String()),
      worker: Type.Enum(['ok', 'worker_stale', 'worker_stuck', 'not_monitored']),
    }),
  }),
});

export const healthRoutes: FastifyPluginAsync<PublicRouteOptions> = async (
  app,
  { ctx, server },
) => {
  const readiness = createReadiness(ctx, { worker_heartbeat: server.worker_heartbeat });

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process is alive',
        response: { 200: Type.Object({ data: Type.Object({ status: Type.Literal('ok') }) }) },
      },
    },
    async () => ({ data: { status: 'ok' } }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: database answers, migrations applied, worker ticking',
        response: { 200: ReadinessBody, 503: ReadinessBody },
      },
    },
    async (_request, reply) => {
      const report = await readiness.check();
      const data = {
        status: report.ready ? 'ready' : 'not_ready',
        reasons: report.reasons,
        checks: report.checks,
      };
      return reply.code(report.ready ? 200 : 503).send({ data });
    },
  );
};
