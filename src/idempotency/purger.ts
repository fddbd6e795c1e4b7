/**
 * A timer that deletes expired idempotency keys a bounded batch at a time, so the table holds
 * about one TTL's worth of keys. Expired keys are also replaced on reuse; this only reclaims space.
 * Each tick deletes batches until none is left, at most `PURGE_BATCHES_PER_TICK_MAX` of them:
 * one batch per ten minutes (as before) fell behind any gateway taking more than about one
 * idempotent request a second, and the table then grew without bound.
 * Each tick first runs the sign-in flow's bounded purge (`oauth/purge.ts`).
 */
import type { AppContext } from '../context.ts';
import { purgeExpiredSignInRows } from '../oauth/purge.ts';
import { purgeExpiredIdempotencyKeys } from './idempotency.ts';

export const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 1000;
/** Batches (of up to 500 keys) per tick: up to 100,000 keys a minute. */
const PURGE_BATCHES_PER_TICK_MAX = 200;

/** Starts the purge timer; `stop()` clears it and waits for a purge under way. */
export function startIdempotencyPurger(ctx: AppContext): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    // A tick still deleting (a large backlog) is not joined by a second one.
    if (busy) return;
    busy = true;
    running = purgeTick(ctx)
      .catch((err: unknown) => {
        ctx.log.error({ err }, 'idempotency purge failed');
      })
      .finally(() => {
        busy = false;
      });
  }, IDEMPOTENCY_PURGE_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

async function purgeTick(ctx: AppContext): Promise<void> {
  await purgeExpiredSignInRows(ctx);
  for (let batch = 0; batch < PURGE_BATCHES_PER_TICK_MAX; batch++) {
    if ((await purgeExpiredIdempotencyKeys(ctx)) === 0) return;
  }
}
