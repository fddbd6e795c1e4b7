/**
 * The auto-reload worker: a loop of bounded ticks (`auto_reload_batch_size` reloads each) that
 * performs pending reloads (`perform.ts`), apart from the job worker so a slow payment provider
 * never delays a render's settlement. All state is in the database; several nodes may run it
 * (a reload is paid once and credited once whoever performs it). Not started without Stripe.
 */
import type { AppContext } from '../context.ts';
import { stripeClientFor } from '../payments/stripe-client.ts';
import { runAutoReloads } from './perform.ts';

/** Pause between ticks that found nothing to do. */
export const AUTO_RELOAD_IDLE_INTERVAL_MS = 1_000;

/** Starts the worker (a no-op without Stripe); `stop()` waits for the current tick. */
export function startAutoReloadWorker(ctx: AppContext): { stop: () => Promise<void> } {
  if (stripeClientFor(ctx.config) === null) return { stop: async () => {} };
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  const loop = () => {
    timer = null;
    current = runAutoReloads(ctx, { limit: ctx.config.limits.auto_reload_batch_size })
      .catch((err: unknown) => {
        ctx.log.error({ err }, 'auto-reload tick failed');
        return 0;
      })
      .then((closed) => {
        current = null;
        if (!stopped) timer = setTimeout(loop, closed > 0 ? 0 : AUTO_RELOAD_IDLE_INTERVAL_MS);
      });
  };
  timer = setTimeout(loop, 0);
  return {
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await current;
    },
  };
}
