/** Placeholder: being written. */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../server.ts';

export const billingLedgerRoutes: FastifyPluginAsync<RouteOptions> = async () => {};
