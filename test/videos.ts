/**
 * Helpers for video tests: call the video API through `inject()`, drive the job worker with the
 * fake clock, and a script of known length.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { runJobWorkerTick } from '../src/jobs/worker.ts';
import type { Customer } from './customers.ts';
import type { TestContext } from './harness.ts';

/** A 150-character script: 10 s at the simulator's 15 characters per second. */
export const SCRIPT_150_CHARS = 'Hello from Tollgate! '.repeat(8).slice(0, 150);

/** Photo avatar at 720p ($0.05/s): held 15 s (10 characters/s) = $0.75, charged 10 s = $0.50. */
export const PHOTO_720P = {
  type: 'avatar',
  avatar_id: 'look_photo_lena',
  resolution: '720p',
  script: SCRIPT_150_CHARS,
};
export const PHOTO_720P_HOLD_MICRO_USD = 750_000n;
export const PHOTO_720P_CHARGE_MICRO_USD = 500_000n;

export function submit(
  app: FastifyInstance,
  customer: Customer,
  body: Record<string, unknown>,
  url = '/v3/videos',
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, headers: customer.headers, payload: body });
}

export function getVideo(
  app: FastifyInstance,
  customer: Customer,
  video_id: string,
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `/v3/videos/${video_id}`, headers: customer.headers });
}

/** Runs worker ticks until one moves nothing (at most `ticks_max`); returns the jobs moved. */
export async function drainWorker(ctx: TestContext, ticks_max = 50): Promise<number> {
  let moved = 0;
  for (let tick = 0; tick < ticks_max; tick++) {
    const count = await runJobWorkerTick(ctx);
    if (count === 0) return moved;
    moved += count;
  }
  throw new Error(`the job worker still moved jobs after ${ticks_max} ticks`);
}

/** The job row as stored, for assertions the API does not show. */
export function jobRow(ctx: TestContext, job_id: string) {
  return ctx.db.selectFrom('jobs').selectAll().where('id', '=', job_id).executeTakeFirstOrThrow();
}
