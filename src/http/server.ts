/**
 * `buildServer(ctx)`: the Fastify app with every route module registered by hand. Kept apart
 * from `listen()` so tests drive it through `inject()`. Customer routes live in one encapsulated
 * scope behind the API-key hook, operator routes under `/admin/v1` behind the operator hook;
 * both scopes honour `Idempotency-Key` on POST.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { stringifyJson } from '../shared/json.ts';
import { apiKeyAuth, operatorAuth } from './auth-hook.ts';
import { registerErrorHandling } from './errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { adminRoutes } from './routes/admin.ts';
import { avatarRoutes } from './routes/avatars.ts';
import { billingRoutes } from './routes/billing.ts';
import { billingLedgerRoutes } from './routes/billing-ledger.ts';
import { healthRoutes } from './routes/health.ts';
import { lipsyncRoutes } from './routes/lipsyncs.ts';
import { speechRoutes } from './routes/speech.ts';
import { userRoutes } from './routes/users.ts';
import { videoRoutes } from './routes/videos.ts';
import { voiceRoutes } from './routes/voices.ts';
import { createValidatorCompiler } from './validation.ts';

export type RouteOptions = { ctx: AppContext };

export function buildServer(ctx: AppContext): FastifyInstance {
  const base = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.limits.body_size_bytes_max,
    genReqId: () => ctx.ids.newId('req'),
    requestIdHeader: false,
  });
  base.setValidatorCompiler(createValidatorCompiler());
  registerErrorHandling(base);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('principal', null);
  app.setReplySerializer((payload) => stringifyJson(payload));
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.register(healthRoutes, { ctx });
  app.register(async (customer) => {
    customer.addHook('onRequest', apiKeyAuth(ctx));
    registerIdempotency(customer, ctx);
    customer.register(userRoutes, { ctx });
    customer.register(videoRoutes, { ctx });
    customer.register(lipsyncRoutes, { ctx });
    customer.register(avatarRoutes, { ctx });
    customer.register(voiceRoutes, { ctx });
    customer.register(speechRoutes, { ctx });
    customer.register(billingRoutes, { ctx });
    customer.register(billingLedgerRoutes, { ctx });
  });
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
