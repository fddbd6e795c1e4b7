/**
 * `tollgate reports revenue --from <time> [--to <time>] [--account <id>]`: charged amounts per
 * product per UTC day of settlement (`jobs/charges.ts`). Uncollected overruns are in
 * `tollgate write-offs`. `tollgate reports margin …`: the resale margin report per product,
 * account and UTC day (`engines/margin.ts`), as CSV (default) or `--json`.
 */
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { marginCsvRows, marginReport, renderMarginRow } from '../../engines/margin.ts';
import { revenueByProductDay } from '../../jobs/charges.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { type CliDeps, runCommand } from '../deps.ts';
import { addRangeOptions, parseRange, type RangeOptions } from './time-range.ts';

export function registerReportCommands(program: Command, deps: CliDeps): void {
  const reports = program.command('reports').description('operator reports');
  addRangeOptions(reports.command('revenue'))
    .description('charged amounts per product per UTC day')
    .option('--json', 'print JSON')
    .action(async (options: RangeOptions & { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const days = await revenueByProductDay(ctx.db, parseRange(options, ctx.clock));
        const total = days.reduce((sum, day) => sum + day.charged_amount_micro_usd, 0n);
        const lines = days.map(
          (d) =>
            `${d.day}  ${d.product.padEnd(24)} ${String(d.charge_count).padStart(7)} charges  $${formatMicroUsd(d.charged_amount_micro_usd)}`,
        );
        lines.push(`total $${formatMicroUsd(total)}`);
        const data = days.map((d) => ({
          ...d,
          charged_amount_usd: formatMicroUsd(d.charged_amount_micro_usd),
        }));
        const value = { data, total_micro_usd: total, total_usd: formatMicroUsd(total) };
        return { value, text: `${lines.join('\n')}\n` };
      });
    });
  addRangeOptions(reports.command('margin'))
    .description('resale margin: customer charges vs upstream cost, per product, account, UTC day')
    .option('--json', 'print JSON instead of CSV')
    .action(async (options: RangeOptions & { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const rows = await marginReport(ctx.db, parseRange(options, ctx.clock));
        return { value: { data: rows.map(renderMarginRow) }, text: stringify(marginCsvRows(rows)) };
      });
    });
}
