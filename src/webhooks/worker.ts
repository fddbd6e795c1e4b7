/**
 * The webhook delivery worker: a loop of bounded ticks (`deliver.ts`), apart from the job worker
 * so a slow receiver never delays a settlement. All state is in the database; any number of
 * nodes may run it (claims make each attempt once, `attempts.ts`).
 */
import type { AppContext } from '../context.ts';
import { runWebhookTick } from './deliver.ts';

/** Pause between ticks that found nothing to do. */
export const WEBHOOK_IDLE_INTERVAL_MS = 500;

/** Starts the worker; `stop()` waits for the current tick. */
export function startWebhookWorker(ctx: AppContext): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  const loop = () => {
    timer = null;
    current = runWebhookTick(ctx)
      .catch((err: unknown) => {
        ctx.log.error({ err }, 'webhook tick failed');
        return 0;
      })
      .then((moved) => {
        current = null;
        if (!stopped) timer = setTimeout(loop, moved > 0 ? 0 : WEBHOOK_IDLE_INTERVAL_MS);
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
