/**
 * Runs the `tollgate` CLI in process against a test context: the program parses `args` as if
 * typed after `tollgate`, writes into strings instead of stdout/stderr, and leaves the context
 * open (the test closes it).
 */
import { PassThrough } from 'node:stream';
import type { CliDeps } from '../src/cli/deps.ts';
import { buildProgram } from '../src/cli/program.ts';
import type { TestContext } from './harness.ts';

export type CliRun = { out: string; err: string; exit_code: number | null };

export async function runCli(ctx: TestContext, ...args: string[]): Promise<CliRun> {
  const run: CliRun = { out: '', err: '', exit_code: null };
  const deps: CliDeps = {
    io: {
      out: (text) => {
        run.out += text;
      },
      err: (text) => {
        run.err += text;
      },
      progress_stream: new PassThrough(),
    },
    readConfig: () => ctx.config,
    openContext: async () => ctx,
    closeContext: async () => {},
    setExitCode: (code) => {
      run.exit_code = code;
    },
  };
  await buildProgram(deps).parseAsync(args, { from: 'user' });
  return run;
}
