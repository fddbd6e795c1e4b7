/**
 * Users: the people who sign in (the OAuth sign-in page, the dashboard). A user belongs to one
 * customer account (an account may have several); the email is unique across the gateway, stored
 * trimmed and lower-cased; only an Argon2id hash of the password is stored.
 * `sign_in_attempts` is the sliding window of failed sign-ins, counted per email and per client
 * address to rate-limit guessing.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('users_account_created')
    .on('users')
    .columns(['account_id', 'created_at_ms', 'id'])
    .execute();
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip_address', 'text')
    .addColumn('attempted_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_email')
    .on('sign_in_attempts')
    .columns(['email', 'attempted_at_ms'])
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_ip')
    .on('sign_in_attempts')
    .columns(['ip_address', 'attempted_at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').execute();
  await db.schema.dropTable('users').execute();
}
