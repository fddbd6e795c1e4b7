/**
 * Metrics at the HTTP edge: every route's latency is observed into
 * `tollgate_http_request_duration_seconds` by a per-route `onResponse` hook (labelled with the
 * route PATTERN, never the raw URL, so cardinality stays bounded), and `/metrics` answers the
 * Prometheus exposition text: on the main port behind the operator token, or, when
 * `TOLLGATE_METRICS_LISTEN` is set, only on that separate address and without authentication
 * (`startMetricsServer`).
 */
import { createServer, type Server } from 'node:http';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  RouteOptions as FastifyRouteOptions,
  onResponseHookHandler,
} from 'fastify';
import type { ListenAddress } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { operatorAuth } from './auth-hook.ts';

export const METRICS_PATH = '/metrics';

/** Adds the latency hook to every route registered after this call (in every scope). */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRoute', (route: FastifyRouteOptions) => {
    const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
    const observe = metrics.requestObserver({ method, url: route.url });
    const hook: onResponseHookHandler = (_request, reply, done) => {
      observe(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    const existing = route.onResponse;
    route.onResponse =
      existing === undefined
        ? [hook]
        : [...(Array.isArray(existing) ? existing : [existing]), hook];
  });
}

/** `GET /metrics` behind the operator token (the main port, when no metrics address is set). */
export const metricsRoutes: FastifyPluginAsync<{ ctx: AppContext; metrics: Metrics }> = async (
  app,
  { ctx, metrics },
) => {
  app.addHook('onRequest', operatorAuth(ctx));
  const schema = {
    summary: 'Prometheus metrics (text exposition format)',
    tags: ['operations'],
    security: [{ operator_token: [] }],
    produces: ['text/plain'],
    response: {
      200: { type: 'string', description: 'Prometheus text exposition format 0.0.4.' },
    },
  };
  app.get(METRICS_PATH, { schema }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
};

/**
 * Serves `GET /metrics` on its own address, unauthenticated: bind it to a private interface
 * (`127.0.0.1:9464`) that only the scraper reaches. Anything else there is 404.
 */
export async function startMetricsServer(
  metrics: Metrics,
  address: ListenAddress,
): Promise<{ server: Server; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return {
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
