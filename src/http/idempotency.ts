/** Placeholder: being written. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export function registerIdempotency(_app: FastifyInstance, _ctx: AppContext): void {}
