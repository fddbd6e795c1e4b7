/**
 * `tollgate grants create|list|revoke` and `tollgate adjustments credit|debit|refund`: wallet
 * grants with their terms, and operator adjustments (`wallets/adjustments.ts`,
 * `wallets/refunds.ts`), each recording the operator (`--operator`, default `cli:<user>`) and the
 * memo. `--json` prints the result as JSON.
 */
import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { withTransaction } from '../../context.ts';
import { formatMicroUsd, parseUsdToMicroUsd } from '../../shared/money.ts';
import { creditWallet, debitByOperator, revokeGrant } from '../../wallets/adjustments.ts';
import { listGrants } from '../../wallets/grant-list.ts';
import type { GrantSource } from '../../wallets/grant-terms.ts';
import { type GrantKind, grantToAccount } from '../../wallets/grants.ts';
import { refundJob } from '../../wallets/refunds.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

type TermOptions = { priority?: string; expiresAt?: string; source?: GrantSource };
type GrantOptions = TermOptions & {
  amountUsd: string;
  kind: GrantKind;
  memo?: string;
  json?: boolean;
};
type AdjustOptions = TermOptions & {
  amountUsd?: string;
  kind?: GrantKind;
  memo: string;
  operator?: string;
  json?: boolean;
};

function amountOf(text: string): bigint {
  const amount_micro_usd = parseUsdToMicroUsd(text);
  if (amount_micro_usd === null) {
    throw new CliUsageError('--amount-usd must be a decimal exact to the micro-dollar');
  }
  return amount_micro_usd;
}

function termsOf(options: TermOptions) {
  const priority = options.priority === undefined ? 0 : Number(options.priority);
  if (!Number.isSafeInteger(priority)) throw new CliUsageError('--priority must be an integer');
  let expires_at_ms: bigint | null = null;
  if (options.expiresAt !== undefined) {
    const parsed = Date.parse(options.expiresAt);
    if (Number.isNaN(parsed)) throw new CliUsageError('--expires-at must be an ISO 8601 instant');
    expires_at_ms = BigInt(parsed);
  }
  return { priority, expires_at_ms, source: options.source ?? 'operator' };
}

function operatorOf(options: { operator?: string }): string {
  return options.operator ?? `cli:${userInfo().username}`;
}

function withTermOptions(command: Command): Command {
  return command
    .option('--priority <n>', 'higher is drawn first within its kind', '0')
    .option('--expires-at <iso>', 'when the unspent part expires (ISO 8601)')
    .addOption(
      new Option('--source <source>', 'where the money came from').choices([
        'operator',
        'promotion',
      ]),
    );
}

export function registerGrantCommands(program: Command, deps: CliDeps): void {
  const grants = program.command('grants').description('wallet grants');
  withTermOptions(
    grants
      .command('create <account_id>')
      .description('grant funds to an account, exact to the micro-dollar')
      .requiredOption('--amount-usd <usd>', 'amount as a decimal string, e.g. 100.00')
      .addOption(
        new Option('--kind <kind>', 'paid top-up or promotional credit')
          .choices(['paid', 'promotional'])
          .makeOptionMandatory(),
      )
      .option('--memo <text>', 'why the grant was made')
      .option('--json', 'print JSON'),
  ).action(async (account_id: string, options: GrantOptions) => {
    await runCommand(deps, { json: options.json === true }, async (ctx) => {
      const input = {
        account_id,
        kind: options.kind,
        amount_micro_usd: amountOf(options.amountUsd),
        memo: options.memo ?? null,
        ...termsOf(options),
      };
      const { grant, balance } = await withTransaction(ctx, (tx) => grantToAccount(tx, input));
      const text =
        `granted $${formatMicroUsd(grant.amount_micro_usd)} (${grant.kind}) to ${account_id} as ${grant.id}\n` +
        `available now $${formatMicroUsd(balance.available_micro_usd)}\n`;
      return { value: { ...grant, wallet: balance }, text };
    });
  });

  grants
    .command('list <account_id>')
    .description("an account's grants, newest first, with remaining, held, expired and revoked")
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const rows = await listGrants(ctx, { account_id, limit: 1_000, after: null });
        const text = rows
          .map(
            (g) =>
              `${g.id} ${g.kind} ${g.status} granted $${formatMicroUsd(g.amount_micro_usd)} ` +
              `remaining $${formatMicroUsd(g.remaining_micro_usd)} held $${formatMicroUsd(g.held_micro_usd)} ` +
              `expired $${formatMicroUsd(g.expired_micro_usd)} revoked $${formatMicroUsd(g.revoked_micro_usd)}\n`,
          )
          .join('');
        return { value: rows, text };
      });
    });

  grants
    .command('revoke <grant_id>')
    .description('revoke the unspent part of a grant (held parts stay until their jobs resolve)')
    .requiredOption('--memo <text>', 'why')
    .option('--operator <name>', 'who decided it')
    .option('--json', 'print JSON')
    .action(async (grant_id: string, options: AdjustOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = { grant_id, memo: options.memo, operator: operatorOf(options) };
        const result = await withTransaction(ctx, (tx) => revokeGrant(tx, input));
        const text =
          `revoked $${formatMicroUsd(result.revoked_micro_usd)} of ${grant_id}; ` +
          `$${formatMicroUsd(result.held_micro_usd)} still held\n`;
        return { value: result, text };
      });
    });

  const adjustments = program.command('adjustments').description('operator adjustments');
  withTermOptions(
    adjustments
      .command('credit <account_id>')
      .description('credit a wallet with a new grant (source operator)')
      .requiredOption('--amount-usd <usd>', 'amount as a decimal string')
      .requiredOption('--memo <text>', 'why')
      .addOption(
        new Option('--kind <kind>', 'kind of the new grant')
          .choices(['paid', 'promotional'])
          .default('promotional'),
      )
      .option('--operator <name>', 'who decided it')
      .option('--json', 'print JSON'),
  ).action(async (account_id: string, options: AdjustOptions) => {
    await runCommand(deps, { json: options.json === true }, async (ctx) => {
      const input = {
        account_id,
        kind: options.kind ?? 'promotional',
        amount_micro_usd: amountOf(options.amountUsd ?? ''),
        memo: options.memo,
        operator: operatorOf(options),
        ...termsOf(options),
      };
      const result = await withTransaction(ctx, async (tx) => {
        return creditWallet(tx, input);
      });
      const text = `credited $${formatMicroUsd(input.amount_micro_usd)} to ${account_id} as ${result.grant.id}\n`;
      return { value: result, text };
    });
  });

  adjustments
    .command('debit <account_id>')
    .description('debit a wallet, below zero if need be')
    .requiredOption('--amount-usd <usd>', 'amount as a decimal string')
    .requiredOption('--memo <text>', 'why')
    .option('--operator <name>', 'who decided it')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: AdjustOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = {
          account_id,
          amount_micro_usd: amountOf(options.amountUsd ?? ''),
          memo: options.memo,
          operator: operatorOf(options),
        };
        const result = await withTransaction(ctx, (tx) => debitByOperator(tx, input));
        const text =
          `debited $${formatMicroUsd(input.amount_micro_usd)} from ${account_id}; ` +
          `available now $${formatMicroUsd(result.balance.available_micro_usd)}\n`;
        return { value: result, text };
      });
    });

  adjustments
    .command('refund <job_id>')
    .description("refund a job's charge, whole (default) or part")
    .option('--amount-usd <usd>', 'amount as a decimal string (default: all not yet refunded)')
    .requiredOption('--memo <text>', 'why')
    .option('--operator <name>', 'who decided it')
    .option('--json', 'print JSON')
    .action(async (job_id: string, options: AdjustOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = {
          job_id,
          amount_micro_usd: options.amountUsd === undefined ? null : amountOf(options.amountUsd),
          memo: options.memo,
          operator: operatorOf(options),
        };
        const result = await withTransaction(ctx, (tx) => refundJob(tx, input));
        const text = `refunded $${formatMicroUsd(result.adjustment.amount_micro_usd)} of ${job_id}\n`;
        return { value: result, text };
      });
    });
}
