/** `tollgate oauth-clients create|list|delete`: the applications allowed to use OAuth sign-in. */
import { type Command, Option } from 'commander';
import { withTransaction } from '../../context.ts';
import {
  createOAuthClient,
  deleteOAuthClient,
  listOAuthClients,
  OAUTH_CLIENT_TYPES,
  type OAuthClient,
  type OAuthClientType,
} from '../../oauth/clients.ts';
import { type CliDeps, runCommand } from '../deps.ts';

type CreateOptions = {
  name: string;
  redirectUri: string[];
  type: string;
  clientId?: string;
  json?: boolean;
};

export function registerOAuthClientCommands(program: Command, deps: CliDeps): void {
  const clients = program.command('oauth-clients').description('OAuth client applications');
  clients
    .command('create')
    .description('register a client; a confidential client secret is printed once')
    .requiredOption('--name <name>', 'shown on the consent page')
    .requiredOption(
      '--redirect-uri <uri>',
      'an exact redirect URI (repeatable)',
      (uri: string, uris: string[]) => [...uris, uri],
      [],
    )
    .addOption(
      new Option('--type <type>', 'public (PKCE only) or confidential (with a secret)')
        .choices(OAUTH_CLIENT_TYPES)
        .default('public'),
    )
    .option('--client-id <id>', 'choose the client id (default: generated)')
    .option('--json', 'print JSON')
    .action(async (options: CreateOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = {
          name: options.name,
          client_type: options.type as OAuthClientType,
          redirect_uris: options.redirectUri,
          client_id: options.clientId ?? null,
        };
        const client = await withTransaction(ctx, (tx) => createOAuthClient(tx, input));
        const secret =
          client.client_secret === null
            ? ''
            : `client secret (shown once, store it now): ${client.client_secret}\n`;
        return { value: client, text: `created ${renderClientLine(client)}\n${secret}` };
      });
    });

  clients
    .command('list')
    .description('list clients (no secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const list = await listOAuthClients(ctx);
        const text =
          list.length === 0 ? 'no clients\n' : `${list.map(renderClientLine).join('\n')}\n`;
        return { value: list, text };
      });
    });

  clients
    .command('delete <client_id>')
    .description('delete a client; its tokens stop working at once')
    .option('--json', 'print JSON')
    .action(async (client_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const client = await withTransaction(ctx, (tx) => deleteOAuthClient(tx, client_id));
        return { value: client, text: `deleted ${client.client_id}\n` };
      });
    });
}

function renderClientLine(client: OAuthClient): string {
  return `${client.client_id}  ${client.client_type}  ${client.name}  ${client.redirect_uris.join(' ')}`;
}
