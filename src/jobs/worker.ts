/** Placeholder: being written. */
import type { AppContext } from '../context.ts';

/** Runs one bounded pass of the job worker; returns how many jobs it moved. */
export async function runJobWorkerTick(_ctx: AppContext): Promise<number> {
  return 0;
}

/** Starts the periodic job worker; `stop()` waits for the current tick. */
export function startJobWorker(_ctx: AppContext): { stop: () => Promise<void> } {
  return { stop: async () => {} };
}
