/**
 * Users of customer accounts: the people who sign in (OAuth consent, the dashboard). A user
 * belongs to exactly one account, an account may have several, and an email names at most one
 * user across the gateway (compared trimmed and lower-cased). The password is checked for length
 * and stored only as an Argon2id hash (`passwords.ts`), hashed before the transaction opens.
 */
import type { Kysely } from 'kysely';
import { getAccount } from '../accounts/accounts.ts';
import { type BaseContext, type TxContext, withTransaction } from '../context.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';
import type { UserErrorCode } from './errors.ts';
import { hashPassword, PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from './passwords.ts';
import type { UserRow } from './users.table.ts';

export const EMAIL_LENGTH_MAX = 254;
/** Users listed per account (a listing is not paginated; an account has a handful of users). */
const USERS_PER_ACCOUNT_LISTED_MAX = 1_000;
/** One `@`, no spaces, a dot in the domain: enough to catch typos; the mailbox is not verified. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type User = {
  id: string;
  account_id: string;
  email: string;
  name: string | null;
  created_at_ms: bigint;
};

export type NewUser = { account_id: string; email: string; password: string; name?: string | null };

/** The stored form of an email: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates a user of an account: `account_not_found`, `email_invalid`, `password_invalid`
 * (shorter than 8 or longer than 256 characters) or `email_taken`. Runs its own transaction
 * after hashing the password.
 */
export async function createUser(ctx: BaseContext, input: NewUser): Promise<User> {
  const prepared = await prepareUser(input);
  return withTransaction(ctx, (tx) => insertUser(tx, prepared));
}

/** A user ready to insert: the email normalized and checked, the password checked and hashed. */
export type PreparedUser = {
  account_id: string;
  email: string;
  password_hash: string;
  name: string | null;
};

/** Checks the input and hashes the password (slow: call it outside a transaction). */
export async function prepareUser(input: NewUser): Promise<PreparedUser> {
  const email = normalizeEmail(input.email);
  if (email.length > EMAIL_LENGTH_MAX || !EMAIL_PATTERN.test(email)) {
    throw new DomainError<UserErrorCode>('email_invalid', 'email must be an email address.', {
      param: 'email',
    });
  }
  const length = [...input.password].length;
  if (length < PASSWORD_LENGTH_MIN || length > PASSWORD_LENGTH_MAX) {
    throw new DomainError<UserErrorCode>(
      'password_invalid',
      `password must be ${PASSWORD_LENGTH_MIN} to ${PASSWORD_LENGTH_MAX} characters long.`,
      { param: 'password' },
    );
  }
  return {
    account_id: input.account_id,
    email,
    password_hash: await hashPassword(input.password),
    name: input.name ?? null,
  };
}

/** Inserts a prepared user: `account_not_found` or `email_taken`. */
export async function insertUser(tx: TxContext, input: PreparedUser): Promise<User> {
  await getAccount(tx, input.account_id);
  const taken = await tx.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', input.email)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new DomainError<UserErrorCode>(
      'email_taken',
      `A user with email ${input.email} exists.`,
      {
        param: 'email',
      },
    );
  }
  const row: UserRow = { id: tx.ids.newId('user'), ...input, created_at_ms: tx.clock.now_ms() };
  await tx.db.insertInto('users').values(row).execute();
  return toUser(row);
}

/** The account's users, oldest first, without password hashes; `account_not_found` if unknown. */
export async function listUsers(
  ctx: { db: Kysely<DB>; config: TxContext['config'] },
  account_id: string,
): Promise<User[]> {
  await getAccount(ctx, account_id);
  const rows = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', account_id)
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(USERS_PER_ACCOUNT_LISTED_MAX)
    .execute();
  return rows.map(toUser);
}

/** A user by id, or `null` when there is none (a deleted user's token resolves to nobody). */
export async function findUser(ctx: { db: Kysely<DB> }, user_id: string): Promise<User | null> {
  const row = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', user_id)
    .executeTakeFirst();
  return row === undefined ? null : toUser(row);
}

export function toUser(row: UserRow): User {
  const { password_hash: _hash, ...user } = row;
  return user;
}
