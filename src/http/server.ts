/**
 * `buildServer(ctx)`: the Fastify app with every route module registered by hand. Kept apart
 * from `listen()` so tests drive it through `inject()`. Customer routes live in one encapsulated
 * scope behind the API-key hook, operator routes under `/admin/v1` behind the operator hook;
 * both scopes honour `Idempotency-Key` on POST. Before any of them, the input guard
 * (`input-guard.ts`) refuses NUL characters and over-deep bodies on every route, and every error,
 * from the router and Node's parser included, is rendered in HeyGen's envelope.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { stringifyJson } from '../shared/json.ts';
import { apiKeyAuth, operatorAuth } from './auth-hook.ts';
import { registerErrorHandling } from './errors.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerInputGuard } from './input-guard.ts';
import { adminRoutes } from './routes/admin.ts';
import { avatarRoutes } from './routes/avatars.ts';
import { balanceSettingRoutes } from './routes/balance-settings.ts';
import { billingRoutes } from './routes/billing.ts';
import { billingLedgerRoutes } from './routes/billing-ledger.ts';
import { healthRoutes } from './routes/health.ts';
import { lipsyncRoutes } from './routes/lipsyncs.ts';
import { proofreadRoutes } from './routes/proofreads.ts';
import { speechRoutes } from './routes/speech.ts';
import { stripeWebhookRoutes } from './routes/stripe-webhook.ts';
import { topUpRoutes } from './routes/top-ups.ts';
import { userRoutes } from './routes/users.ts';
import { videoAgentRoutes } from './routes/video-agents.ts';
import { videoTranslationRoutes } from './routes/video-translations.ts';
import { videoRoutes } from './routes/videos.ts';
import { voiceRoutes } from './routes/voices.ts';
import { createValidatorCompiler } from './validation.ts';

export type RouteOptions = { ctx: AppContext };

export function buildServer(ctx: AppContext): FastifyInstance {
  const limits = ctx.config.limits;
  const newRequestId = () => ctx.ids.newId('req');
  const base = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: limits.body_size_bytes_max,
    requestTimeout: limits.request_timeout_ms,
    routerOptions: { maxParamLength: limits.path_param_chars_max },
    genReqId: newRequestId,
    requestIdHeader: false,
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(newRequestId),
  });
  base.setValidatorCompiler(createValidatorCompiler());
  registerErrorHandling(base);
  registerInputGuard(base, limits);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('principal', null);
  app.setReplySerializer((payload) => stringifyJson(payload));
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.register(healthRoutes, { ctx });
  app.register(async (customer) => {
    customer.addHook('onRequest', apiKeyAuth(ctx));
    // A customer's request may be stored with the job it creates: every customer body is bounded
    // by the smaller job-request limit, for every product's routes, present and future.
    customer.addHook('onRoute', (route) => {
      route.bodyLimit ??= limits.job_request_size_bytes_max;
    });
    registerIdempotency(customer, ctx);
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
  });
  app.register(stripeWebhookRoutes, { ctx });
  app.register(
    async (operator) => {
      operator.addHook('onRequest', operatorAuth(ctx));
      registerIdempotency(operator, ctx);
      operator.register(adminRoutes, { ctx });
    },
    { prefix: '/admin/v1' },
  );
  return base;
}
