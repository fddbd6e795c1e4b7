/**
 * Progress bars for long commands (`reconcile`, `backup`, `usage export`): drawn on stderr only
 * when it is a terminal and the work is large enough to be worth one, so scripts and `--json`
 * output never see them.
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './deps.ts';

export type ProgressBar = { update: (done: number, total: number) => void; stop: () => void };

export function createProgressBar(
  io: CliIo,
  options: { format: string; total_min: number },
): ProgressBar {
  let bar: cliProgress.SingleBar | null = null;
  return {
    update: (done, total) => {
      if (total < options.total_min || io.progress_stream.isTTY !== true) return;
      if (bar === null) {
        bar = new cliProgress.SingleBar(
          { stream: io.progress_stream, format: options.format },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}
