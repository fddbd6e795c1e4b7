/**
 * The auto-reload worker: a loop of bounded ticks (`auto_reload_batch_size` reloads each) that
 * performs pending reloads (`perform.ts`), apart from the job worker so a slow payment provider
 * never delays a render's settlement. All state is in the database; several nodes may run it
 * (a reload is paid once and credited once whoever performs it). Not started without Stripe.
 */
import type { AppContext } from '../context.ts';
import { stripeClientFor } from '../payments/stripe-client.ts';
import { startTickLoop, type TickLoop } from '../shared/tick-loop.ts';
import { runAutoReloads } from './perform.ts';

/** Pause between ticks that found nothing to do. */
export const AUTO_RELOAD_IDLE_INTERVAL_MS = 1_000;

/** Starts the worker (a no-op without Stripe); `stop()` waits for the current tick. */
export function startAutoReloadWorker(ctx: AppContext): TickLoop {
  if (stripeClientFor(ctx.config) === null) return { stop: async () => {} };
  return startTickLoop({
    name: 'auto-reload',
    log: ctx.log,
    idle_interval_ms: AUTO_RELOAD_IDLE_INTERVAL_MS,
    tick: () => runAutoReloads(ctx, { limit: ctx.config.limits.auto_reload_batch_size }),
  });
}
