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
 * The OpenAPI generator (`openapi.ts`) is registered before every route, so each route is in
 * `/openapi.json` and `/docs`; `/`, `/healthz` and `/readyz` are outside both authenticated
 * scopes. Replies are serialized by `stringifyJson` only: `response` schemas document the
 * routes (OpenAPI) and never filter or coerce what is sent.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };
import type { AppContext } from '../context.ts';
import type { WorkerHeartbeat } from '../jobs/worker-heartbeat.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { stringifyJson } from '../shared/json.ts';
import { apiKeyAuth, operatorAuth } from './auth-hook.ts';
import { registerErrorHandling } from './errors.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerInputGuard } from './input-guard.ts';
import { metricsRoutes, registerRequestMetrics } from './metrics.ts';
import { documentScope, registerOpenApi } from './openapi.ts';
import { adminRoutes } from './routes/admin.ts';
import { avatarRoutes } from './routes/avatars.ts';
import { balanceSettingRoutes } from './routes/balance-settings.ts';
import { billingRoutes } from './routes/billing.ts';
import { billingLedgerRoutes } from './routes/billing-ledger.ts';
import { dashboardAccountRoutes } from './routes/dashboard-account.ts';
import { dashboardEventRoutes } from './routes/dashboard-events.ts';
import { dashboardOperatorRoutes } from './routes/dashboard-operator.ts';
import { dashboardSessionRoutes } from './routes/dashboard-sessions.ts';
import { dashboardSignInRoutes } from './routes/dashboard-sign-in.ts';
import { dashboardStaticRoutes } from './routes/dashboard-static.ts';
import { engineCallbackRoutes } from './routes/engine-callbacks.ts';
import { healthRoutes } from './routes/health.ts';
import { lipsyncRoutes } from './routes/lipsyncs.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { proofreadRoutes } from './routes/proofreads.ts';
import { rootRoutes } from './routes/root.ts';
import { speechRoutes } from './routes/speech.ts';
import { statementRoutes } from './routes/statements.ts';
import { stripeWebhookRoutes } from './routes/stripe-webhook.ts';
import { topUpRoutes } from './routes/top-ups.ts';
import { userRoutes } from './routes/users.ts';
import { videoAgentRoutes } from './routes/video-agents.ts';
import { videoTranslationRoutes } from './routes/video-translations.ts';
import { videoRoutes } from './routes/videos.ts';
import { voiceRoutes } from './routes/voices.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { createValidatorCompiler } from './validation.ts';

export type RouteOptions = { ctx: AppContext };

export type ServerOptions = {
  /** The process's metrics (main.ts); by default the server makes its own over `ctx.db`. */
  metrics?: Metrics;
  /** The job worker's heartbeat, for `/readyz`; without one the worker is `not_monitored`. */
  worker_heartbeat?: WorkerHeartbeat;
};

/** What the routes outside the authenticated scopes (`/`, health) also read. */
export type PublicRouteOptions = RouteOptions & {
  server: ServerOptions & { version: string };
};

export const REQUEST_ID_HEADER = 'x-request-id';
/** An incoming request id is kept only if it is this sane: short, and safe in a log line. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export function buildServer(ctx: AppContext, options: ServerOptions = {}): FastifyInstance {
  const limits = ctx.config.limits;
  const metrics = options.metrics ?? createMetrics({ database: ctx, counts: ctx.counts });
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
  // The reply serializer above takes precedence over response schemas; this makes sure no
  // fast-json-stringify serializer is even compiled from them (it would drop unknown fields).
  app.setSerializerCompiler(() => (payload) => stringifyJson(payload));
  app.addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  registerOpenApi(app, { version: packageJson.version });
  const server = { ...options, version: packageJson.version };
  app.register(rootRoutes, { ctx, server });
  app.register(healthRoutes, { ctx, server });
  // With a metrics address set, /metrics is served there alone (main.ts), not on this port.
  if (ctx.config.metrics_listen === null) app.register(metricsRoutes, { ctx, metrics });
  app.register(async (customer) => {
    customer.addHook('onRequest', apiKeyAuth(ctx));
    documentScope(customer, 'api_key');
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
    customer.register(topUpRoutes, { ctx });
    customer.register(balanceSettingRoutes, { ctx });
    customer.register(statementRoutes, { ctx });
    customer.register(webhookRoutes, { ctx });
    customer.register(dashboardAccountRoutes, { ctx });
    customer.register(dashboardEventRoutes, { ctx });
  });
  app.register(stripeWebhookRoutes, { ctx });
  app.register(engineCallbackRoutes, { ctx });
  // The web app and its sign-in: outside both scopes (the session routes check the cookie).
  app.register(dashboardSessionRoutes, { ctx });
  app.register(dashboardSignInRoutes, { ctx });
  app.register(dashboardStaticRoutes, {});
  app.register(oauthRoutes, { ctx });
  app.register(
    async (operator) => {
      operator.addHook('onRequest', operatorAuth(ctx));
      documentScope(operator, 'operator_token');
      registerIdempotency(operator, ctx, metrics.idempotency);
      operator.register(adminRoutes, { ctx });
      operator.register(dashboardOperatorRoutes, { ctx });
    },
    { prefix: '/admin/v1' },
  );
  return base;
}
