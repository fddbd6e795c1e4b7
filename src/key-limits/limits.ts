/**
 * Per-API-key spending limits, set by the operator: at most one per key, an amount per day or
 * per month of the account's time zone, inside a wallet or a usage-based account alike (the
 * limit caps what the key spends, whatever pool pays). Setting or removing one locks the
 * account's row, as admission does, so a change never interleaves with an admission's check.
 * Listing returns each limit with the key's spending in its current window.
 */
import type { Kysely } from 'kysely';
import type { AccountErrorCode } from '../accounts/errors.ts';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { AMOUNT_MICRO_USD_MAX } from '../shared/money.ts';
import {
  CALENDAR_WINDOWS,
  type CalendarPeriod,
  type CalendarWindow,
  periodContaining,
} from '../shared/time-zones.ts';
import type { KeyLimitErrorCode } from './errors.ts';
import type { ApiKeySpendingLimitRow } from './key-limits.table.ts';
import { type KeySpending, keyWindowSpending } from './spending.ts';

export type KeySpendingLimit = {
  api_key_id: string;
  account_id: string;
  window: CalendarWindow;
  amount_micro_usd: bigint;
  updated_at_ms: bigint;
};

/** A limit with the key's spending in its current window. */
export type KeySpendingLimitStatus = KeySpendingLimit & KeySpending & { period: CalendarPeriod };

function invalid(param: string, message: string): DomainError<KeyLimitErrorCode> {
  return new DomainError<KeyLimitErrorCode>('spending_limit_invalid', message, { param });
}

export function toKeySpendingLimit(row: ApiKeySpendingLimitRow): KeySpendingLimit {
  const { limit_window, ...rest } = row;
  return { ...rest, window: limit_window === 'day' ? 'day' : 'month' };
}

/** Locks the key's account row; `api_key_not_found` if the key is unknown. */
async function lockKeyAccount(tx: TxContext, api_key_id: string): Promise<string> {
  const key = await tx.db
    .selectFrom('api_keys')
    .select('account_id')
    .where('id', '=', api_key_id)
    .executeTakeFirst();
  if (key === undefined) {
    throw new DomainError<AccountErrorCode>('api_key_not_found', `No API key ${api_key_id}.`);
  }
  const query = tx.db.selectFrom('accounts').select('id').where('id', '=', key.account_id);
  await lockRowsForUpdate(tx.dialect, query).executeTakeFirstOrThrow();
  return key.account_id;
}

/** Sets (or replaces) the key's limit; `spending_limit_invalid` naming a bad field. */
export async function setKeySpendingLimit(
  tx: TxContext,
  request: { api_key_id: string; window: string; amount_micro_usd: bigint },
): Promise<KeySpendingLimit> {
  const window = request.window as CalendarWindow;
  if (!CALENDAR_WINDOWS.includes(window)) {
    throw invalid('window', 'window must be "day" or "month".');
  }
  if (request.amount_micro_usd < 0n || request.amount_micro_usd > AMOUNT_MICRO_USD_MAX) {
    throw invalid('amount_usd', 'amount_usd must be between 0 and 1,000,000,000.');
  }
  const account_id = await lockKeyAccount(tx, request.api_key_id);
  const row: ApiKeySpendingLimitRow = {
    api_key_id: request.api_key_id,
    account_id,
    limit_window: window,
    amount_micro_usd: request.amount_micro_usd,
    updated_at_ms: tx.clock.now_ms(),
  };
  const { api_key_id: _key, ...changes } = row;
  await tx.db
    .insertInto('api_key_spending_limits')
    .values(row)
    .onConflict((conflict) => conflict.column('api_key_id').doUpdateSet(changes))
    .execute();
  return toKeySpendingLimit(row);
}

/** Removes the key's limit (if any); `api_key_not_found` if the key is unknown. */
export async function removeKeySpendingLimit(tx: TxContext, api_key_id: string): Promise<void> {
  await lockKeyAccount(tx, api_key_id);
  await tx.db.deleteFrom('api_key_spending_limits').where('api_key_id', '=', api_key_id).execute();
}

/** The limits of an account's keys, by key id, each with the key's current-window spending. */
export async function listKeySpendingLimits(
  ctx: { db: Kysely<DB>; clock: Clock },
  account_id: string,
): Promise<Map<string, KeySpendingLimitStatus>> {
  const rows = await ctx.db
    .selectFrom('api_key_spending_limits as l')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .selectAll('l')
    .select('a.time_zone')
    .where('l.account_id', '=', account_id)
    .execute();
  const now_ms = ctx.clock.now_ms();
  const entries = await Promise.all(
    rows.map(async ({ time_zone, ...row }) => {
      const limit = toKeySpendingLimit(row);
      const period = periodContaining(time_zone, limit.window, now_ms);
      const spending = await keyWindowSpending(ctx.db, { api_key_id: limit.api_key_id, period });
      return [limit.api_key_id, { ...limit, ...spending, period }] as const;
    }),
  );
  return new Map(entries);
}
