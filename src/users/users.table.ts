/** Table types of users and failed sign-in attempts. */
import type { Selectable } from 'kysely';

export type UserTable = {
  id: string;
  account_id: string;
  /** Trimmed and lower-cased; unique across the gateway. */
  email: string;
  /** Argon2id PHC string; the password itself is never stored. */
  password_hash: string;
  name: string | null;
  created_at_ms: bigint;
};

/** One failed sign-in, kept for the rate-limit window. */
export type SignInAttemptTable = {
  id: string;
  email: string;
  ip_address: string | null;
  attempted_at_ms: bigint;
};

export type UsersTables = {
  users: UserTable;
  sign_in_attempts: SignInAttemptTable;
};

export type UserRow = Selectable<UserTable>;
