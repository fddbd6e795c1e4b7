/**
 * The OAuth authorization server's storage. `oauth_clients`: the applications the operator
 * registered (redirect URIs, public or confidential with a secret). `oauth_payloads`: what
 * `oidc-provider` keeps (sessions, interactions, grants, authorization codes, access and refresh
 * tokens), one row per model and id; token ids are stored as their SHA-256 so a database read
 * yields no usable token; `expires_at_ms` is honoured on read, `consumed_at_ms` marks a used
 * authorization code or rotated refresh token, and `grant_id` revokes every token of a grant.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('client_type', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oauth_payloads')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    .addColumn('expires_at_ms', 'bigint')
    .addColumn('consumed_at_ms', 'bigint')
    .addPrimaryKeyConstraint('oauth_payloads_pk', ['model', 'id_hash'])
    .execute();
  await db.schema
    .createIndex('oauth_payloads_grant')
    .on('oauth_payloads')
    .column('grant_id')
    .execute();
  await db.schema
    .createIndex('oauth_payloads_uid')
    .on('oauth_payloads')
    .columns(['model', 'uid'])
    .execute();
  await db.schema
    .createIndex('oauth_payloads_expires')
    .on('oauth_payloads')
    .column('expires_at_ms')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_payloads').execute();
  await db.schema.dropTable('oauth_clients').execute();
}
