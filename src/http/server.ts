/**
 * `buildServer(ctx)`: the Fastify app with every route module registered by hand. Kept apart
 * from `listen()` so tests drive it through `inject()`. Customer routes live in one encapsulated
 * scope behind the API-key hook, operator routes under `/admin/v1` behind the operator hook;
 * both scopes honour `Idempotency-Key` on POST. Before any of them, the input guard
 * (`input-guard.ts`) refuses NUL characters and over-deep bodies on every route, and every error,
 * from the router and Node's parser included, is rendered in HeyGen's envelope. Every request has
 * an id (a sane incoming `x-request-id`, else a new one) that every log line of the request
 * carries and the response returns as `x-request-id`; every route's latency is a metric.
 * Per-request access lines are logged at `debug` only, off the hot path at the default `info`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from '../context.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { stringifyJson } from '../shared/json.ts';
import { apiKeyAuth, operatorAuth } from './auth-hook.ts';
import { registerErrorHandling } from './errors.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerInputGuard } from './input-guard.ts';
import { metricsRoutes, registerRequestMetrics } from './metrics.ts';
import { adminRoutes } from './routes/admin.ts';
import { avatarRoutes } from './routes/avatars.ts';
import { billingRoutes } from './routes/billing.ts';
import { billingLedgerRoutes } from './routes/billing-ledger.ts';
import { healthRoutes } from './routes/health.ts';
import { lipsyncRoutes } from './routes/lipsyncs.ts';
import { proofreadRoutes } from './routes/proofreads.ts';
import { speechRoutes } from './routes/speech.ts';
import { userRoutes } from './routes/users.ts';
import { videoAgentRoutes } from './routes/video-agents.ts';
import { videoTranslationRoutes } from './routes/video-translations.ts';
import { videoRoutes } from './routes/videos.ts';
import { voiceRoutes } from './routes/voices.ts';
import { createValidatorCompiler } from './validation.ts';

export type RouteOptions = { ctx: AppContext };

export type ServerOptions = {
  /** The process's metrics (main.ts); by default the server makes its own over `ctx.db`. */
  metrics?: Metrics;
};

export const REQUEST_ID_HEADER = 'x-request-id';
/** An incoming request id is kept only if it is this sane: short, and safe in a log line. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export function buildServer(ctx: AppContext, options: ServerOptions = {}): FastifyInstance {
  const limits = ctx.config.limits;
  const metrics = options.metrics ?? createMetrics({ database: ctx });
  const newRequestId = () => ctx.ids.newId('req');
  const base = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: limits.body_size_bytes_max,
    requestTimeout: limits.request_timeout_ms,
    routerOptions: { maxParamLength: limits.path_param_chars_max },
    genReqId: (request) => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
        ? incoming
        : newRequestId();
    },
    requestIdHeader: false,
    // One "incoming request" and one "request completed" line per request cost more than a
    // small route itself: they are written at LOG_LEVEL=debug (or trace) only. Errors are
    // logged at every level that shows them: 5xx by the error handler (`errors.ts`).
    logController: new LogController({ disableRequestLogging: !ctx.log.isLevelEnabled('debug') }),
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(newRequestId),
  });
  registerRequestMetrics(base, metrics);
  base.setValidatorCompiler(createValidatorCompiler());
  registerErrorHandling(base);
  registerInputGuard(base, limits);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('principal', null);
  app.setReplySerializer((payload) => stringifyJson(payload));
  app.addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.register(healthRoutes, { ctx });
  // With a metrics address set, /metrics is served there alone (main.ts), not on this port.
  if (ctx.config.metrics_listen === null) app.register(metricsRoutes, { ctx, metrics });
  app.register(async (customer) => {
    customer.addHook('onRequest', apiKeyAuth(ctx));
    // A customer's request may be stored with the job it creates: every customer body is bounded
    // by the smaller job-request limit, for every product's routes, present and future.
    customer.addHook('onRoute', (route) => {
      route.bodyLimit ??= limits.job_request_size_bytes_max;
    });
    registerIdempotency(customer, ctx, metrics.idempotency);
    customer.register(userRoutes, { ctx });
    customer.register(videoRoutes, { ctx });
    customer.register(lipsyncRoutes, { ctx });
    customer.register(videoTranslationRoutes, { ctx });
    customer.register(proofreadRoutes, { ctx });
    customer.register(videoAgentRoutes, { ctx });
    customer.register(avatarRoutes, { ctx });
    customer.register(voiceRoutes, { ctx });
    customer.register(speechRoutes, { ctx });
    customer.register(billingRoutes, { ctx });
    customer.register(billingLedgerRoutes, { ctx });
  });
  app.register(
    async (operator) => {
      operator.addHook('onRequest', operatorAuth(ctx));
      registerIdempotency(operator, ctx, metrics.idempotency);
      operator.register(adminRoutes, { ctx });
    },
    { prefix: '/admin/v1' },
  );
  return base;
}
