/** `tollgate keys create|list|revoke`: API keys of customer accounts, from a shell. */
import type { Command } from 'commander';
import { type ApiKey, createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys.ts';
import { withTransaction } from '../../context.ts';
import { type CliDeps, runCommand } from '../deps.ts';

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
        const list = await listApiKeys(ctx, account_id);
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
}

function renderKeyLine(key: ApiKey): string {
  const state = key.revoked_at_ms === null ? 'active' : 'revoked';
  return `${key.id}  ${key.prefix}…  ${key.name ?? '-'}  ${state}`;
}
