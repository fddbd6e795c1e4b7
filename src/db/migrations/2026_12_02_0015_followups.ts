/**
 * Follow-ups of issues 14 and 15. `sign_in_attempts_attempted_at`: the purge of failed sign-ins
 * that left the window (`users/sign-in.ts` `purgeOldSignInAttempts`) selects by
 * `attempted_at_ms <= cutoff` alone; the two existing indexes lead with `email` and `ip_address`,
 * so without this one every purge batch scanned the whole table (SQLite's plan was
 * `SCAN sign_in_attempts`; it is now `SEARCH … USING INDEX sign_in_attempts_attempted_at`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('sign_in_attempts_attempted_at')
    .on('sign_in_attempts')
    .column('attempted_at_ms')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sign_in_attempts_attempted_at').execute();
}
