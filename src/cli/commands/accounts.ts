/**
 * `tollgate accounts create|list|show|set-overdraft-limit|set-concurrency`: the operator API's account calls, from
 * a shell.
 */
import { type Command, InvalidArgumentError } from 'commander';
import {
  type Account,
  createAccount,
  getAccountWithBalance,
  listAccounts,
  setConcurrencyLimit,
} from '../../accounts/accounts.ts';
import { withTransaction } from '../../context.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { decodePageCursor, toPage } from '../../shared/page-token.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';
import { parseOverdraftLimitUsd, registerSetOverdraftLimit } from './overdraft.ts';

type CreateOptions = {
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  avatarIii?: boolean;
  enterprise?: boolean;
  concurrencyLimit?: number;
  overdraftLimitUsd?: bigint;
  json?: boolean;
};

function parseWholeNumber(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new InvalidArgumentError('expected a whole number');
  return Number(text);
}

export function registerAccountCommands(program: Command, deps: CliDeps): void {
  const accounts = program.command('accounts').description('customer accounts');
  registerCreate(accounts, deps);
  registerList(accounts, deps);
  registerShow(accounts, deps);
  registerSetOverdraftLimit(accounts, deps);
  registerSetConcurrency(accounts, deps);
}

function registerSetConcurrency(accounts: Command, deps: CliDeps): void {
  accounts
    .command('set-concurrency <account_id> <jobs>')
    .description('jobs the account may have in flight at once (`default`: the configured one)')
    .option('--json', 'print JSON')
    .action(async (account_id: string, jobs: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const max = ctx.config.limits.concurrent_jobs_max;
        const concurrency_limit = jobs === 'default' ? null : Number(jobs);
        if (
          concurrency_limit !== null &&
          (!/^\d{1,9}$/.test(jobs) || concurrency_limit < 1 || concurrency_limit > max)
        ) {
          throw new CliUsageError(`<jobs> must be from 1 to ${max}, or "default"`);
        }
        const account = await withTransaction(ctx, (tx) =>
          setConcurrencyLimit(tx, { account_id, concurrency_limit }),
        );
        const text = `${account.id} concurrency limit ${account.concurrency_limit} jobs\n`;
        return { value: account, text };
      });
    });
}

function registerCreate(accounts: Command, deps: CliDeps): void {
  accounts
    .command('create')
    .description('create a customer account and its wallet')
    .requiredOption('--username <name>', 'unique username')
    .option('--email <email>')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .option('--avatar-iii', 'existing customer: may use Avatar III')
    .option('--enterprise', 'Enterprise account (translation proofread)')
    .option('--concurrency-limit <jobs>', 'jobs in flight at once', parseWholeNumber)
    .option(
      '--overdraft-limit-usd <usd>',
      'how far below zero an overrun may go',
      parseOverdraftLimitUsd,
    )
    .option('--json', 'print JSON')
    .action(async (options: CreateOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const limit = options.concurrencyLimit ?? null;
        if (limit !== null && (limit < 1 || limit > ctx.config.limits.concurrent_jobs_max)) {
          throw new CliUsageError(
            `--concurrency-limit must be from 1 to ${ctx.config.limits.concurrent_jobs_max}`,
          );
        }
        const account = await withTransaction(ctx, (tx) =>
          createAccount(tx, {
            username: options.username,
            email: options.email ?? null,
            first_name: options.firstName ?? null,
            last_name: options.lastName ?? null,
            existing_avatar_iii_customer: options.avatarIii === true,
            enterprise: options.enterprise === true,
            concurrency_limit: limit,
            overdraft_limit_micro_usd: options.overdraftLimitUsd ?? 0n,
          }),
        );
        return { value: account, text: `created account ${account.id} (${account.username})\n` };
      });
    });
}

function registerList(accounts: Command, deps: CliDeps): void {
  accounts
    .command('list')
    .description('list accounts, newest first')
    .option('--limit <count>', 'accounts per page', parseWholeNumber, 20)
    .option('--token <next_token>', 'continue after a previous page')
    .option('--json', 'print JSON')
    .action(async (options: { limit: number; token?: string; json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const max = ctx.config.limits.page_size_max;
        if (options.limit < 1 || options.limit > max) {
          throw new CliUsageError(`--limit must be from 1 to ${max}`);
        }
        const after = options.token === undefined ? null : decodePageCursor(options.token);
        if (options.token !== undefined && after === null) {
          throw new CliUsageError('--token is not a token printed by `accounts list`');
        }
        const page = toPage(
          await listAccounts(ctx, { limit: options.limit, after }),
          options.limit,
        );
        const value = { data: page.items, has_more: page.has_more, next_token: page.next_token };
        return { value, text: renderAccountList(page.items, page.next_token) };
      });
    });
}

function registerShow(accounts: Command, deps: CliDeps): void {
  accounts
    .command('show <account_id>')
    .description('show an account and its wallet balance')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const found = await getAccountWithBalance(ctx, account_id);
        const b = found.balance;
        const text = [
          renderAccountLine(found.account),
          `  available  $${formatMicroUsd(b.available_micro_usd)}`,
          `  held       $${formatMicroUsd(b.held_micro_usd)}`,
          `  settled    $${formatMicroUsd(b.settled_micro_usd)}`,
          `  granted    $${formatMicroUsd(b.granted_micro_usd)}`,
          '',
        ].join('\n');
        return { value: { ...found.account, wallet: found.balance }, text };
      });
    });
}

function renderAccountLine(account: Account): string {
  const flags = [
    account.existing_avatar_iii_customer ? 'avatar_iii' : null,
    account.enterprise ? 'enterprise' : null,
  ].filter((flag) => flag !== null);
  const created = new Date(Number(account.created_at_ms)).toISOString();
  return `${account.id}  ${account.username}  ${account.email ?? '-'}  ${created}  ${flags.join(',')}`.trimEnd();
}

function renderAccountList(accounts: Account[], next_token: string | null): string {
  const lines = accounts.length === 0 ? ['no accounts'] : accounts.map(renderAccountLine);
  if (next_token !== null) lines.push(`more: --token ${next_token}`);
  return `${lines.join('\n')}\n`;
}
