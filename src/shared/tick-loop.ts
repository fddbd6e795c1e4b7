/**
 * A background loop of bounded ticks, as every worker runs (jobs, auto-reload, webhooks): a tick
 * that moved something is followed at once by the next (each tick is bounded, so a busy loop
 * still yields), an idle one waits `idle_interval_ms`. A tick that throws is logged and counts as
 * idle; the loop goes on. `stop()` cancels the next tick and waits for the current one, so a
 * shutdown never cuts a tick in half.
 */
import type { Logger } from 'pino';

export type TickLoop = { stop: () => Promise<void> };

export type TickLoopOptions = {
  /** Named in the log line of a failed tick, e.g. `job worker`. */
  name: string;
  log: Logger;
  idle_interval_ms: number;
  /** One bounded pass; resolves with how many things it moved. */
  tick: () => Promise<number>;
  /** Called as a tick starts; the function it returns is called as that tick ends. */
  observeTick?: () => () => void;
};

export function startTickLoop(options: TickLoopOptions): TickLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  const loop = () => {
    timer = null;
    const tickEnded = options.observeTick?.() ?? (() => {});
    current = options
      .tick()
      .then(
        (moved) => moved,
        (err: unknown) => {
          options.log.error({ err }, `${options.name} tick failed`);
          return 0;
        },
      )
      .then((moved) => {
        tickEnded();
        current = null;
        if (!stopped) timer = setTimeout(loop, moved > 0 ? 0 : options.idle_interval_ms);
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
