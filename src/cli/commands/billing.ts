/**
 * `tollgate billing show|set <account_id>` and `tollgate statements <account_id> [--period]`:
 * the operator API's billing settings (`/admin/v1/accounts/{id}/billing`: billing type, spending
 * cap of a usage-based account, time zone) and statements (`/admin/v1/accounts/{id}/statements`),
 * from a shell. A statement prints as text, `--csv` or `--json`.
 */
import type { Command } from 'commander';
import { withTransaction } from '../../context.ts';
import {
  AMOUNT_MICRO_USD_MAX,
  formatMicroUsd,
  formatUsdForHumans,
  parseUsdToMicroUsd,
} from '../../shared/money.ts';
import type { BillingSummary } from '../../usage-based/settings.ts';
import { getBillingSummary, updateBillingSettings } from '../../usage-based/settings.ts';
import { statementCsv } from '../../usage-based/statement-csv.ts';
import { getStatement, listStatements, type Statement } from '../../usage-based/statements.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

const STATEMENTS_LISTED = 24;

type SetOptions = { type?: string; cap?: string | false; timeZone?: string; json?: boolean };

export function registerBillingCommands(program: Command, deps: CliDeps): void {
  const billing = program
    .command('billing')
    .description("an account's billing type, spending cap and time zone");
  billing
    .command('show <account_id>')
    .description('the billing settings and the current period spending')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const summary = await getBillingSummary(ctx, account_id);
        return { value: summary, text: renderSummary(summary) };
      });
    });
  billing
    .command('set <account_id>')
    .description('set the billing type, the spending cap (per period) or the time zone')
    .option('--type <billing_type>', 'wallet | usage_based')
    .option('--cap <usd>', 'spending cap per period (usage-based), such as 500.00')
    .option('--no-cap', 'remove the spending cap')
    .option('--time-zone <iana_name>', 'the time zone periods follow, such as Europe/Paris')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: SetOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const update = parseSetOptions(account_id, options);
        const summary = await withTransaction(ctx, (tx) => updateBillingSettings(tx, update));
        return { value: summary, text: renderSummary(summary) };
      });
    });

  program
    .command('statements <account_id>')
    .description("an account's statements, or the statement of one month with every charge")
    .option('--period <YYYY-MM>', 'one month: its statement with every charge')
    .option('--csv', 'the statement as CSV')
    .option('--json', 'print JSON')
    .action(
      async (account_id: string, options: { period?: string; csv?: boolean; json?: boolean }) => {
        await runCommand(deps, { json: options.json === true }, async (ctx) => {
          if (options.period === undefined) {
            const page = await listStatements(ctx, {
              account_id,
              limit: STATEMENTS_LISTED,
              from: null,
            });
            const lines = page.statements.map(
              (s) =>
                `${s.period}  ${s.status}  ${s.charge_count} charges  ${formatUsdForHumans(s.total_micro_usd)}`,
            );
            return {
              value: page.statements,
              text: lines.length === 0 ? 'no statements\n' : `${lines.join('\n')}\n`,
            };
          }
          const statement = await getStatement(ctx, { account_id, period: options.period });
          const text = options.csv === true ? statementCsv(statement) : renderStatement(statement);
          return { value: statement, text };
        });
      },
    );
}

function parseSetOptions(account_id: string, options: SetOptions) {
  // commander's `--no-cap` makes `cap` false; `--cap <usd>` makes it a string.
  const cap = options.cap;
  const spending_cap_micro_usd =
    cap === false ? null : cap === undefined ? undefined : parseUsdOption('--cap', cap);
  if (
    options.type === undefined &&
    spending_cap_micro_usd === undefined &&
    options.timeZone === undefined
  ) {
    throw new CliUsageError('give at least one of --type, --cap, --no-cap, --time-zone');
  }
  return {
    account_id,
    billing_type: options.type,
    time_zone: options.timeZone,
    spending_cap_micro_usd,
  };
}

export function parseUsdOption(option: string, text: string): bigint {
  const amount = parseUsdToMicroUsd(text);
  if (amount === null || amount < 0n || amount > AMOUNT_MICRO_USD_MAX) {
    throw new CliUsageError(`${option} must be USD exact to the micro-dollar, such as 25.00`);
  }
  return amount;
}

function renderSummary(s: BillingSummary): string {
  const cap =
    s.spending_cap_micro_usd === null ? 'none' : `$${formatMicroUsd(s.spending_cap_micro_usd)}`;
  return (
    `${s.account_id}  billing ${s.billing_type}  time zone ${s.time_zone}  cap ${cap}\n` +
    `period ${s.period.key}: charged $${formatMicroUsd(s.spending_current_micro_usd)}, ` +
    `held $${formatMicroUsd(s.held_micro_usd)}\n`
  );
}

function renderStatement(s: Statement): string {
  const lines = s.charges.map(
    (c) =>
      `${new Date(Number(c.charged_at_ms)).toISOString()}  ${c.type}  ${c.job_id}  ${c.product ?? '-'}  ${formatUsdForHumans(c.amount_micro_usd)}`,
  );
  return (
    `statement ${s.period} (${s.time_zone}, ${s.status}): ${s.charge_count} charges, ` +
    `${s.refund_count} refunds, ` +
    `total ${formatUsdForHumans(s.total_micro_usd)}\n${lines.map((line) => `${line}\n`).join('')}`
  );
}
