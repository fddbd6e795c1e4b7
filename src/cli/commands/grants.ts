/** `tollgate grants create`: credit a wallet with a paid top-up or promotional credit. */
import { type Command, Option } from 'commander';
import { withTransaction } from '../../context.ts';
import { formatMicroUsd, parseUsdToMicroUsd } from '../../shared/money.ts';
import { type GrantKind, grantToAccount } from '../../wallets/grants.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

type GrantOptions = { amountUsd: string; kind: GrantKind; memo?: string; json?: boolean };

export function registerGrantCommands(program: Command, deps: CliDeps): void {
  const grants = program.command('grants').description('wallet grants');
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
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: GrantOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const amount_micro_usd = parseUsdToMicroUsd(options.amountUsd);
        if (amount_micro_usd === null) {
          throw new CliUsageError('--amount-usd must be a decimal exact to the micro-dollar');
        }
        const input = {
          account_id,
          kind: options.kind,
          amount_micro_usd,
          memo: options.memo ?? null,
        };
        const { grant, balance } = await withTransaction(ctx, (tx) => grantToAccount(tx, input));
        const text =
          `granted $${formatMicroUsd(grant.amount_micro_usd)} (${grant.kind}) to ${account_id} as ${grant.id}\n` +
          `available now $${formatMicroUsd(balance.available_micro_usd)}\n`;
        return { value: { ...grant, wallet: balance }, text };
      });
    });
}
