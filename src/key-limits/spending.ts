/**
 * What one API key has spent in a window (a day or a month of its account's time zone), read
 * from its jobs: the charges of the jobs it submitted that completed in the window, plus the
 * holds of its jobs still in flight (whenever admitted). Works in or out of a transaction; inside
 * admission the account's row lock makes the read and the hold that follows one step.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { IN_FLIGHT_STATUSES } from '../jobs/lifecycle.ts';
import type { CalendarPeriod } from '../shared/time-zones.ts';

export type KeySpending = { charged_micro_usd: bigint; held_micro_usd: bigint };

export async function keyWindowSpending(
  db: Kysely<DB>,
  request: { api_key_id: string; period: CalendarPeriod },
): Promise<KeySpending> {
  const [charged, held] = await Promise.all([
    db
      .selectFrom('jobs')
      .select((eb) =>
        eb.fn.sum<bigint | string | number | null>('charged_amount_micro_usd').as('total'),
      )
      .where('api_key_id', '=', request.api_key_id)
      .where('completed_at_ms', '>=', request.period.start_ms)
      .where('completed_at_ms', '<', request.period.end_ms)
      .where('test', '=', 0n)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('jobs')
      .select((eb) =>
        eb.fn.sum<bigint | string | number | null>('hold_amount_micro_usd').as('total'),
      )
      .where('api_key_id', '=', request.api_key_id)
      .where('status', 'in', IN_FLIGHT_STATUSES)
      .where('test', '=', 0n)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    charged_micro_usd: BigInt(charged.total ?? 0),
    held_micro_usd: BigInt(held.total ?? 0),
  };
}
