/**
 * `tollgate accounts set-overdraft-limit <account_id> <usd>` and `tollgate write-offs`: the
 * operator API's overdraft calls from a shell (`PATCH /admin/v1/accounts/{id}`,
 * `GET /admin/v1/reports/write-offs`).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { setOverdraftLimit } from '../../accounts/accounts.ts';
import { withTransaction } from '../../context.ts';
import { AMOUNT_MICRO_USD_MAX, formatMicroUsd, parseUsdToMicroUsd } from '../../shared/money.ts';
import { decodePageCursor, toPage } from '../../shared/page-token.ts';
import { listWriteOffs, type WriteOff } from '../../wallets/write-offs.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

/** A decimal USD string exact to the micro-dollar, as micro-USD (`--overdraft-limit-usd`). */
export function parseOverdraftLimitUsd(text: string): bigint {
  const amount = parseUsdToMicroUsd(text);
  if (amount === null || amount > AMOUNT_MICRO_USD_MAX) {
    throw new InvalidArgumentError('expected USD exact to the micro-dollar, such as 25.00');
  }
  return amount;
}

export function registerSetOverdraftLimit(accounts: Command, deps: CliDeps): void {
  accounts
    .command('set-overdraft-limit <account_id> <usd>')
    .description('how far below zero an overrun may take the wallet; the rest is written off')
    .option('--json', 'print JSON')
    .action(async (account_id: string, usd: string, options: { json?: boolean }) => {
      const overdraft_limit_micro_usd = parseOverdraftLimitUsd(usd);
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const account = await withTransaction(ctx, (tx) =>
          setOverdraftLimit(tx, { account_id, overdraft_limit_micro_usd }),
        );
        const text = `${account.id} overdraft limit $${formatMicroUsd(account.overdraft_limit_micro_usd)}\n`;
        return { value: account, text };
      });
    });
}

export function registerWriteOffsCommand(program: Command, deps: CliDeps): void {
  program
    .command('write-offs')
    .description('amounts settlements could not collect (overdraft limit reached), newest first')
    .option('--limit <count>', 'write-offs per page', (text) => Number(text), 20)
    .option('--token <next_token>', 'continue after a previous page')
    .option('--json', 'print JSON')
    .action(async (options: { limit: number; token?: string; json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const max = ctx.config.limits.page_size_max;
        if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > max) {
          throw new CliUsageError(`--limit must be from 1 to ${max}`);
        }
        const after = options.token === undefined ? null : decodePageCursor(options.token);
        if (options.token !== undefined && after === null) {
          throw new CliUsageError('--token is not a token printed by `write-offs`');
        }
        const page = toPage(
          await listWriteOffs(ctx.db, { limit: options.limit, after }),
          options.limit,
        );
        const value = { data: page.items, has_more: page.has_more, next_token: page.next_token };
        return { value, text: renderWriteOffs(page.items, page.next_token) };
      });
    });
}

function renderWriteOffs(writeOffs: WriteOff[], next_token: string | null): string {
  const lines =
    writeOffs.length === 0
      ? ['no write-offs']
      : writeOffs.map(
          (w) =>
            `${new Date(Number(w.created_at_ms)).toISOString()}  ${w.account_id}  ${w.job_id ?? '-'}  $${formatMicroUsd(w.amount_micro_usd)}`,
        );
  if (next_token !== null) lines.push(`more: --token ${next_token}`);
  return `${lines.join('\n')}\n`;
}
