/**
 * The operator's webhook tools under `/admin/v1/webhooks`: any account's event delivery log, and
 * manual redelivery of an event (`webhook-deliveries.ts`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteOptions } from '../server.ts';
import { registerDeliveryRoutes } from './webhook-deliveries.ts';

export const adminWebhookRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  registerDeliveryRoutes(app, ctx, { prefix: '/webhooks', account_id: () => null });
};
