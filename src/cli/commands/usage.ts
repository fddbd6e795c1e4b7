/**
 * `tollgate usage export --from <time> [--to <time>] [--account <id>]`: one CSV row per charge
 * (settled job with a positive charge) to stdout, written page by page through `csv-stringify`,
 * so any size exports in constant memory; `--json` writes the same rows as JSON Lines. A progress
 * bar on stderr follows large exports when stderr is a terminal.
 */
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { type Charge, type ChargeCursor, countCharges, listCharges } from '../../jobs/charges.ts';
import { stringifyJson } from '../../shared/json.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { type CliDeps, runCommand } from '../deps.ts';
import { createProgressBar } from '../progress.ts';
import { addRangeOptions, parseRange, type RangeOptions } from './time-range.ts';

const PROGRESS_BAR_ROWS_MIN = 50_000;
const PAGE_SIZE = 1_000;

export const USAGE_COLUMNS = [
  'completed_at',
  'account_id',
  'job_id',
  'kind',
  'product',
  'sku',
  'rate_card_version',
  'seconds',
  'duration_ms',
  'amount_micro_usd',
  'amount_usd',
] as const;

export function registerUsageCommands(program: Command, deps: CliDeps): void {
  const usage = program.command('usage').description('usage (charges) of customer accounts');
  addRangeOptions(usage.command('export'))
    .description('one CSV row per charge, by settlement time, to stdout')
    .option('--json', 'JSON Lines instead of CSV')
    .action(async (options: RangeOptions & { json?: boolean }) => {
      // The rows are the output: the result printed at the end is empty.
      await runCommand(deps, { json: false }, async (ctx) => {
        const range = parseRange(options, ctx.clock);
        const progress = createProgressBar(deps.io, {
          format: 'usage export [{bar}] {value}/{total} charges',
          total_min: PROGRESS_BAR_ROWS_MIN,
        });
        const total = await countCharges(ctx.db, range);
        let after: ChargeCursor | null = null;
        let count = 0;
        if (options.json !== true) deps.io.out(stringify([[...USAGE_COLUMNS]]));
        try {
          for (;;) {
            const page = await listCharges(ctx.db, { ...range, after, limit: PAGE_SIZE });
            if (page.length === 0) break;
            const rows = page.map(toRow);
            deps.io.out(
              options.json === true
                ? rows.map((row) => `${stringifyJson(row)}\n`).join('')
                : stringify(rows.map((row) => USAGE_COLUMNS.map((column) => row[column]))),
            );
            count += page.length;
            progress.update(count, Math.max(count, total));
            const last = page[page.length - 1]!;
            after = { completed_at_ms: last.completed_at_ms, id: last.job_id };
            if (page.length < PAGE_SIZE) break;
          }
        } finally {
          progress.stop();
        }
        deps.io.err(`exported ${count} charges\n`);
        return { value: null, text: '' };
      });
    });
}

/** `seconds` is the billed output duration, exact to the millisecond. */
function toRow(charge: Charge): Record<(typeof USAGE_COLUMNS)[number], string> {
  const duration = charge.duration_ms;
  return {
    completed_at: new Date(Number(charge.completed_at_ms)).toISOString(),
    account_id: charge.account_id,
    job_id: charge.job_id,
    kind: charge.kind,
    product: charge.product,
    sku: charge.sku ?? '',
    rate_card_version: charge.rate_card_version,
    seconds: duration === null ? '' : formatMillisAsSeconds(duration),
    duration_ms: duration === null ? '' : String(duration),
    amount_micro_usd: String(charge.charged_amount_micro_usd),
    amount_usd: formatMicroUsd(charge.charged_amount_micro_usd),
  };
}

function formatMillisAsSeconds(duration_ms: bigint): string {
  const whole = duration_ms / 1000n;
  const rest = duration_ms % 1000n;
  return rest === 0n
    ? String(whole)
    : `${whole}.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}
