/**
 * Password hashing with Argon2id (`@node-rs/argon2`, OWASP's recommended parameters: 19 MiB,
 * two passes, one lane). Hashing is deliberately slow (tens of milliseconds), so callers hash
 * before opening a transaction. `verifyPassword` of an unknown user still runs one verification
 * against a fixed hash, so a sign-in takes as long whether or not the email exists.
 */
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_LENGTH_MIN = 8;
export const PASSWORD_LENGTH_MAX = 256;

/** Argon2id, version 0x13 (the library's default algorithm and version). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Verified (and its result ignored) when the email is unknown, so the timing is the same. */
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$gPqR0aQeWC4E1hpM46zbTA$EaGs1S0rIf+VTG1XYsfSBhR/eP3CiVajdt2n9yJ+1oQ';

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches `password_hash`; with `null` (no such user) always false. */
export async function verifyPassword(
  password_hash: string | null,
  password: string,
): Promise<boolean> {
  const matched = await verify(password_hash ?? UNKNOWN_USER_HASH, password);
  return password_hash !== null && matched;
}
