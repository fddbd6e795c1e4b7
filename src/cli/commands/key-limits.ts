/**
 * `tollgate keys set-limit <key_id> --window day|month --usd <amount>` and `tollgate keys
 * clear-limit <key_id>`: per-API-key spending limits from a shell
 * (`PUT/DELETE /admin/v1/api-keys/{key_id}/spending-limit`).
 */
import type { Command } from 'commander';
import { withTransaction } from '../../context.ts';
import { removeKeySpendingLimit, setKeySpendingLimit } from '../../key-limits/limits.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { type CliDeps, runCommand } from '../deps.ts';
import { parseUsdOption } from './billing.ts';

export function registerKeyLimitCommands(keys: Command, deps: CliDeps): void {
  keys
    .command('set-limit <key_id>')
    .description("cap what a key spends per day or per month (the account's time zone)")
    .requiredOption('--window <window>', 'day | month')
    .requiredOption('--usd <amount>', 'the limit, such as 50.00')
    .option('--json', 'print JSON')
    .action(async (key_id: string, options: { window: string; usd: string; json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const amount_micro_usd = parseUsdOption('--usd', options.usd);
        const input = { api_key_id: key_id, window: options.window, amount_micro_usd };
        const limit = await withTransaction(ctx, (tx) => setKeySpendingLimit(tx, input));
        const text = `${key_id} limit $${formatMicroUsd(limit.amount_micro_usd)} per ${limit.window}\n`;
        return { value: limit, text };
      });
    });

  keys
    .command('clear-limit <key_id>')
    .description("remove a key's spending limit")
    .option('--json', 'print JSON')
    .action(async (key_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        await withTransaction(ctx, (tx) => removeKeySpendingLimit(tx, key_id));
        return {
          value: { api_key_id: key_id, spending_limit: null },
          text: `${key_id} no limit\n`,
        };
      });
    });
}
