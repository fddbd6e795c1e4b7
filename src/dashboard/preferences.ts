/**
 * An account's dashboard preferences: the time zone in which its dashboard shows times and groups
 * usage by day. An account without a row is in UTC. A time zone is an IANA name that this
 * process's `Intl` knows; anything else is refused with `time_zone_invalid`.
 */
import type { Kysely } from 'kysely';
import type { BaseContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { DomainError } from '../shared/errors.ts';
import type { DashboardErrorCode } from './errors.ts';

export const TIME_ZONE_DEFAULT = 'UTC';

export type AccountPreferences = { time_zone: string };

/** True for an IANA time zone name this process can format dates in. */
export function isKnownTimeZone(time_zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: time_zone });
    return true;
  } catch {
    return false;
  }
}

export async function getPreferences(
  db: Kysely<DB>,
  account_id: string,
): Promise<AccountPreferences> {
  const row = await db
    .selectFrom('account_preferences')
    .select('time_zone')
    .where('account_id', '=', account_id)
    .executeTakeFirst();
  return { time_zone: row?.time_zone ?? TIME_ZONE_DEFAULT };
}

/** Sets the account's time zone (`time_zone_invalid` for a name `Intl` does not know). */
export async function setPreferences(
  ctx: BaseContext,
  input: { account_id: string; time_zone: string },
): Promise<AccountPreferences> {
  if (!isKnownTimeZone(input.time_zone)) {
    throw new DomainError<DashboardErrorCode>(
      'time_zone_invalid',
      `Unknown time zone "${input.time_zone}". Use an IANA name such as "Europe/Paris" or "UTC".`,
      { param: 'time_zone' },
    );
  }
  const row = { ...input, updated_at_ms: ctx.clock.now_ms() };
  await ctx.db
    .insertInto('account_preferences')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .column('account_id')
        .doUpdateSet({ time_zone: row.time_zone, updated_at_ms: row.updated_at_ms }),
    )
    .execute();
  return { time_zone: input.time_zone };
}
