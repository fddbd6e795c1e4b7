/**
 * The webhook delivery worker: a loop of bounded ticks (`deliver.ts`), apart from the job worker
 * so a slow receiver never delays a settlement. All state is in the database; any number of
 * nodes may run it (claims make each attempt once, `attempts.ts`).
 */
import type { AppContext } from '../context.ts';
import { startTickLoop, type TickLoop } from '../shared/tick-loop.ts';
import { runWebhookTick } from './deliver.ts';

/** Pause between ticks that found nothing to do. */
export const WEBHOOK_IDLE_INTERVAL_MS = 500;

/** Starts the worker; `stop()` waits for the current tick. */
export function startWebhookWorker(ctx: AppContext): TickLoop {
  return startTickLoop({
    name: 'webhook',
    log: ctx.log,
    idle_interval_ms: WEBHOOK_IDLE_INTERVAL_MS,
    tick: () => runWebhookTick(ctx),
  });
}
