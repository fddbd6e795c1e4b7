/** Placeholder: being written. */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../server.ts';

export const billingRoutes: FastifyPluginAsync<RouteOptions> = async () => {};
