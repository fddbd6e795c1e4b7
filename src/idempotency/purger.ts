/**
 * A timer that deletes expired idempotency keys a bounded batch at a time, so the table holds
 * about one TTL's worth of keys. Expired keys are also replaced on reuse; this only reclaims space.
 */
import type { AppContext } from '../context.ts';
import { purgeExpiredIdempotencyKeys } from './idempotency.ts';

export const IDEMPOTENCY_PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** Starts the purge timer; `stop()` clears it and waits for a purge under way. */
export function startIdempotencyPurger(ctx: AppContext): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = purgeExpiredIdempotencyKeys(ctx).catch((err: unknown) => {
      ctx.log.error({ err }, 'idempotency purge failed');
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
