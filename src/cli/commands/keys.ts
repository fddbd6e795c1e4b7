/**
 * `tollgate keys create|list|revoke|set-limit|clear-limit`: API keys of customer accounts and
 * their spending limits (`key-limits.ts`), from a shell.
 */
import type { Command } from 'commander';
import { type ApiKey, createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys.ts';
import { withTransaction } from '../../context.ts';
import { type KeySpendingLimitStatus, listKeySpendingLimits } from '../../key-limits/limits.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { type CliDeps, runCommand } from '../deps.ts';
import { registerKeyLimitCommands } from './key-limits.ts';

export function registerKeyCommands(program: Command, deps: CliDeps): void {
  const keys = program.command('keys').description('API keys of customer accounts');
  keys
    .command('create <account_id>')
    .description('create an API key; the key is printed once')
    .option('--name <name>', 'a label for the key')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: { name?: string; json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = { account_id, name: options.name ?? null };
        const key = await withTransaction(ctx, (tx) => createApiKey(tx, input));
        const text = `created ${key.id} for ${account_id}\nkey (shown once, store it now): ${key.key}\n`;
        return { value: key, text };
      });
    });

  keys
    .command('list <account_id>')
    .description("list an account's API keys (no secrets)")
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const [keys, limits] = await Promise.all([
          listApiKeys(ctx, account_id),
          listKeySpendingLimits(ctx, account_id),
        ]);
        const list = keys.map((key) => ({ ...key, spending_limit: limits.get(key.id) ?? null }));
        const text = list.length === 0 ? 'no keys\n' : `${list.map(renderKeyLine).join('\n')}\n`;
        return { value: list, text };
      });
    });

  keys
    .command('revoke <key_id>')
    .description('revoke an API key (repeating it is harmless)')
    .option('--json', 'print JSON')
    .action(async (key_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const key = await withTransaction(ctx, (tx) => revokeApiKey(tx, key_id));
        return { value: key, text: `revoked ${key.id} (${key.prefix}…)\n` };
      });
    });
  registerKeyLimitCommands(keys, deps);
}

function renderKeyLine(key: ApiKey & { spending_limit: KeySpendingLimitStatus | null }): string {
  const state = key.revoked_at_ms === null ? 'active' : 'revoked';
  const limit = key.spending_limit;
  const spending =
    limit === null
      ? ''
      : `  limit $${formatMicroUsd(limit.amount_micro_usd)}/${limit.window} ` +
        `(spent $${formatMicroUsd(limit.charged_micro_usd)}, held $${formatMicroUsd(limit.held_micro_usd)})`;
  return `${key.id}  ${key.prefix}…  ${key.name ?? '-'}  ${state}${spending}`;
}
