/** `tollgate migrate`: applies pending migrations and creates the operator's ledger accounts. */
import type { Command } from 'commander';
import { prepareDatabase } from '../../bootstrap.ts';
import { type CliDeps, runCommand } from '../deps.ts';

export function registerMigrateCommand(program: Command, deps: CliDeps): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to repeat)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true, check_schema: false }, async (ctx) => {
        const applied = await prepareDatabase(ctx);
        const text =
          applied.length === 0
            ? 'the database is up to date\n'
            : `applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}\n`).join('')}`;
        return { value: { migrations_applied: applied }, text };
      });
    });
}
