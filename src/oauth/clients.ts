/**
 * OAuth clients, registered by the operator: a public client (a CLI, a single-page or mobile app)
 * authenticates with PKCE alone; a confidential one also sends its secret, shown once at
 * creation. Redirect URIs are exact (no wildcards): https, or http only to a loopback host (a
 * CLI's local callback, RFC 8252). Deleting a client ends every token issued to it at once (the
 * bearer check and the provider both look the client up).
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';
import type { OAuthErrorCode } from './errors.ts';
import type { OAuthClientRow } from './oauth.table.ts';

export const OAUTH_CLIENT_TYPES = ['public', 'confidential'] as const;
export type OAuthClientType = (typeof OAUTH_CLIENT_TYPES)[number];
export const REDIRECT_URIS_MAX = 10;
const CLIENT_SECRET_BYTES = 32;
/** Clients listed at once (the operator registers a handful of partner applications). */
const OAUTH_CLIENTS_LISTED_MAX = 1_000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export type OAuthClient = {
  client_id: string;
  name: string;
  client_type: OAuthClientType;
  redirect_uris: string[];
  created_at_ms: bigint;
};

export type NewOAuthClient = {
  name: string;
  client_type: OAuthClientType;
  redirect_uris: string[];
  /** Chosen id (e.g. to keep a HeyGen client's public id); generated when absent. */
  client_id?: string | null;
};

/**
 * Registers a client; the returned `client_secret` (confidential clients only) is the only time
 * it is shown. `redirect_uri_invalid` names the bad URI's index.
 */
export async function createOAuthClient(
  tx: TxContext,
  input: NewOAuthClient,
): Promise<OAuthClient & { client_secret: string | null }> {
  input.redirect_uris.forEach(checkRedirectUri);
  const client_secret =
    input.client_type === 'confidential' ? tx.ids.newSecret(CLIENT_SECRET_BYTES) : null;
  const row: OAuthClientRow = {
    id: input.client_id ?? tx.ids.newId('client'),
    name: input.name,
    client_type: input.client_type,
    client_secret,
    redirect_uris: JSON.stringify(input.redirect_uris),
    created_at_ms: tx.clock.now_ms(),
  };
  const inserted = await tx.db
    .insertInto('oauth_clients')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows !== 1n) {
    throw new DomainError<OAuthErrorCode>(
      'oauth_client_id_taken',
      `An OAuth client with id ${row.id} exists.`,
      { param: 'client_id' },
    );
  }
  return { ...toOAuthClient(row), client_secret };
}

function checkRedirectUri(uri: string, index: number): void {
  const url = URL.canParse(uri) ? new URL(uri) : null;
  const allowed =
    url !== null &&
    url.hash === '' &&
    url.username === '' &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)));
  if (!allowed) {
    throw new DomainError<OAuthErrorCode>(
      'redirect_uri_invalid',
      'A redirect URI must be an absolute https URL (http only to localhost), without a fragment.',
      { param: `redirect_uris.${index}` },
    );
  }
}

/** Every client, oldest first, without secrets. */
export async function listOAuthClients(ctx: { db: Kysely<DB> }): Promise<OAuthClient[]> {
  const rows = await ctx.db
    .selectFrom('oauth_clients')
    .selectAll()
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(OAUTH_CLIENTS_LISTED_MAX)
    .execute();
  return rows.map(toOAuthClient);
}

/** The client row with its secret (for the provider), or null. */
export async function findOAuthClientRow(
  ctx: { db: Kysely<DB> },
  client_id: string,
): Promise<OAuthClientRow | null> {
  const row = await ctx.db
    .selectFrom('oauth_clients')
    .selectAll()
    .where('id', '=', client_id)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Deletes a client and everything the authorization server stored for it: its tokens stop
 * working at once. `oauth_client_not_found` if unknown.
 */
export async function deleteOAuthClient(tx: TxContext, client_id: string): Promise<OAuthClient> {
  const row = await findOAuthClientRow(tx, client_id);
  if (row === null) {
    throw new DomainError<OAuthErrorCode>(
      'oauth_client_not_found',
      `OAuth client ${client_id} not found.`,
      { param: 'client_id' },
    );
  }
  await tx.db.deleteFrom('oauth_clients').where('id', '=', client_id).execute();
  return toOAuthClient(row);
}

export function toOAuthClient(row: OAuthClientRow): OAuthClient {
  return {
    client_id: row.id,
    name: row.name,
    client_type: row.client_type as OAuthClientType,
    redirect_uris: JSON.parse(row.redirect_uris) as string[],
    created_at_ms: row.created_at_ms,
  };
}
