/** Entry of `npm run tollgate -- <command>` and of `bin/tollgate.js`. */
import { CommanderError } from 'commander';
import { processDeps } from './deps.ts';
import { buildProgram } from './program.ts';

const deps = processDeps();
try {
  await buildProgram(deps).parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Commander has printed the usage error or the help text already.
  process.exitCode = err.exitCode;
}
