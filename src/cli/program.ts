/**
 * The `tollgate` command line: each command parses flags, opens a context, calls one domain
 * function and prints text or `--json`. Built from deps so tests run it against their own context.
 */
import { Command } from 'commander';
import { registerAccountCommands } from './commands/accounts.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerBillingCommands } from './commands/billing.ts';
import { registerGrantCommands } from './commands/grants.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerOAuthClientCommands } from './commands/oauth-clients.ts';
import { registerWriteOffsCommand } from './commands/overdraft.ts';
import { registerPlanCommands } from './commands/plans.ts';
import { registerQuoteCommand } from './commands/quote.ts';
import { registerRateCardCommands } from './commands/rate-cards.ts';
import { registerReconcileCommand } from './commands/reconcile.ts';
import { registerReportCommands } from './commands/reports.ts';
import { registerUsageCommands } from './commands/usage.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';
import type { CliDeps } from './deps.ts';

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('tollgate')
    .description(
      'Tollgate operator commands (configuration from the same environment as npm start)',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: deps.io.out, writeErr: deps.io.err });
  registerMigrateCommand(program, deps);
  registerReconcileCommand(program, deps);
  registerAccountCommands(program, deps);
  registerKeyCommands(program, deps);
  registerUserCommands(program, deps);
  registerOAuthClientCommands(program, deps);
  registerGrantCommands(program, deps);
  registerRateCardCommands(program, deps);
  registerWriteOffsCommand(program, deps);
  registerUsageCommands(program, deps);
  registerReportCommands(program, deps);
  registerQuoteCommand(program, deps);
  registerBackupCommands(program, deps);
  registerPlanCommands(program, deps);
  registerBillingCommands(program, deps);
  registerWebhookCommands(program, deps);
  return program;
}
