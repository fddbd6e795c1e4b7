/** `tollgate users create|list`: the users (sign-in identities) of customer accounts. */
import type { Command } from 'commander';
import { createUser, listUsers, type User } from '../../users/users.ts';
import { type CliDeps, runCommand } from '../deps.ts';

type CreateOptions = { email: string; password: string; name?: string; json?: boolean };

export function registerUserCommands(program: Command, deps: CliDeps): void {
  const users = program.command('users').description('users of customer accounts (sign-in)');
  users
    .command('create <account_id>')
    .description('create a user who signs in with an email and password')
    .requiredOption('--email <email>', 'the sign-in email (unique)')
    .requiredOption('--password <password>', '8 to 256 characters; only its hash is stored')
    .option('--name <name>', 'a display name')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: CreateOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const user = await createUser(ctx, {
          account_id,
          email: options.email,
          password: options.password,
          name: options.name ?? null,
        });
        return { value: user, text: `created ${user.id} (${user.email}) for ${account_id}\n` };
      });
    });

  users
    .command('list <account_id>')
    .description("list an account's users")
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const list = await listUsers(ctx, account_id);
        const text = list.length === 0 ? 'no users\n' : `${list.map(renderUserLine).join('\n')}\n`;
        return { value: list, text };
      });
    });
}

function renderUserLine(user: User): string {
  return `${user.id}  ${user.email}  ${user.name ?? '-'}`;
}
