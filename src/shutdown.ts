/**
 * How the gateway process ends on SIGINT/SIGTERM. The first signal starts a graceful close (stop
 * accepting requests and let those in flight finish, stop the workers, flush the group committer,
 * close the database), bounded by `shutdown_timeout_ms`: whatever still runs then is cut off and
 * the process exits 1. A graceful close that finishes exits 0 explicitly, so a stray handle (a
 * keep-alive socket, a timer someone forgot) can never keep a finished process alive. A second
 * signal exits at once with 130/143.
 *
 * One keypress or one supervisor `kill` of the process group often reaches this process more than
 * once: from the terminal or the group, and again forwarded by `npm`. Repeats within
 * `SIGNAL_REPEAT_WINDOW_MS` of the first count as that same signal, not as a second one.
 */
import type { Logger } from 'pino';

export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/** Signals this soon after the first are the same delivery, forwarded (npm, process group). */
export const SIGNAL_REPEAT_WINDOW_MS = 1_000;

const EXIT_CODE_BY_SIGNAL: Record<ShutdownSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export type ShutdownPlan = {
  log: Logger;
  /** The graceful close, in order. */
  close: () => Promise<void>;
  timeout_ms: number;
  now_ms: () => number;
  exit: (code: number) => void;
};

/** Returns the handler to call with each signal received. */
export function createShutdownHandler(plan: ShutdownPlan): (signal: ShutdownSignal) => void {
  let firstAtMs: number | null = null;
  return (signal) => {
    const now_ms = plan.now_ms();
    if (firstAtMs !== null) {
      if (now_ms - firstAtMs < SIGNAL_REPEAT_WINDOW_MS) return;
      plan.log.warn({ signal }, 'second signal: exiting now');
      plan.exit(EXIT_CODE_BY_SIGNAL[signal]);
      return;
    }
    firstAtMs = now_ms;
    plan.log.info({ signal, timeout_ms: plan.timeout_ms }, 'shutting down');
    const deadline = setTimeout(() => {
      plan.log.error({ timeout_ms: plan.timeout_ms }, 'shutdown timed out: exiting now');
      plan.exit(1);
    }, plan.timeout_ms);
    deadline.unref();
    plan.close().then(
      () => {
        clearTimeout(deadline);
        plan.log.info('stopped');
        plan.exit(0);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        plan.log.error({ err }, 'shutdown failed');
        plan.exit(1);
      },
    );
  };
}
