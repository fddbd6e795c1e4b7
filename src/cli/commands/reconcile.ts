/**
 * `tollgate reconcile`: recomputes every ledger balance from the transfer log and reports any
 * drift. Exit code 3 when anything is off, so a cron job or CI step fails loudly. A progress bar
 * on stderr follows the scan of the transfer log of a large ledger when stderr is a terminal.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type ReconcileReport, reconcileLedger } from '../../ledger/reconcile.ts';
import { type CliDeps, EXIT_CODES, runCommand } from '../deps.ts';
import { createProgressBar } from '../progress.ts';

/** Below this many transfers a reconcile takes about a second: no bar. */
const PROGRESS_BAR_TRANSFERS_MIN = 100_000;
const PAGE_SIZE_DEFAULT = 500;
const PAGE_SIZE_MAX = 10_000;

export function registerReconcileCommand(program: Command, deps: CliDeps): void {
  program
    .command('reconcile')
    .description('recompute every balance from transfers; exit code 3 on any drift')
    .option('--json', 'print the full report as JSON')
    .option(
      '--page-size <accounts>',
      'accounts below zero checked for overruns per query',
      parsePageSize,
      PAGE_SIZE_DEFAULT,
    )
    .action(async (options: { json?: boolean; pageSize: number }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const progress = createProgressBar(deps.io, {
          format: 'reconcile [{bar}] {percentage}% {value}/{total} transfers scanned',
          total_min: PROGRESS_BAR_TRANSFERS_MIN,
        });
        let report: ReconcileReport;
        try {
          report = await reconcileLedger(ctx.db, {
            page_size: options.pageSize,
            on_progress: progress.update,
          });
        } finally {
          progress.stop();
        }
        return {
          value: report,
          text: renderReport(report),
          exit_code: report.ok ? EXIT_CODES.ok : EXIT_CODES.check_failed,
        };
      });
    });
}

function parsePageSize(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > PAGE_SIZE_MAX) {
    throw new InvalidArgumentError(`--page-size must be a whole number from 1 to ${PAGE_SIZE_MAX}`);
  }
  return value;
}

export function renderReport(report: ReconcileReport): string {
  const lines = [
    `${report.ok ? 'OK' : 'DRIFT'}: ${report.accounts_checked} accounts, ${report.transfers_checked} transfers checked`,
  ];
  for (const c of report.currencies) {
    const sign = (a: bigint, b: bigint) => (a === b ? '=' : '≠');
    lines.push(
      `  ${c.currency}: posted debits ${c.debits_posted} ${sign(c.debits_posted, c.credits_posted)} credits ${c.credits_posted}; ` +
        `pending debits ${c.debits_pending} ${sign(c.debits_pending, c.credits_pending)} credits ${c.credits_pending}`,
    );
  }
  for (const d of report.drifts) {
    lines.push(`  drift ${d.account_id} ${d.field}: stored ${d.stored}, computed ${d.computed}`);
  }
  for (const c of report.unbalanced_currencies) lines.push(`  unbalanced currency ${c.currency}`);
  for (const id of report.pending_resolved_twice) lines.push(`  pending resolved twice: ${id}`);
  for (const o of report.overdrafts) {
    lines.push(
      `  overdraft ${o.account_id}: below zero by ${o.below_zero_by}, overruns ${o.overrun_total}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
