/** Placeholder: being written. */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../server.ts';

export const avatarRoutes: FastifyPluginAsync<RouteOptions> = async () => {};
