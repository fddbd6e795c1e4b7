/**
 * The admission check of a per-API-key spending limit: the key's charges in the current window
 * (a day or month of the account's time zone), plus its holds in flight, plus this job's hold,
 * may not exceed its limit (`api_key_spending_limit_exceeded`, 402, naming `spending_limit`).
 * Runs inside `admitJob`, after the account's row lock, so concurrent admissions with one key
 * (on any node) check one at a time and cannot pass the limit together. A key without a limit
 * costs one primary-key read.
 */
import type { TxContext } from '../context.ts';
import { DomainError } from '../shared/errors.ts';
import { formatMicroUsd, formatUsdForHumans } from '../shared/money.ts';
import { periodContaining } from '../shared/time-zones.ts';
import type { KeyLimitErrorCode } from './errors.ts';
import { toKeySpendingLimit } from './limits.ts';
import { keyWindowSpending } from './spending.ts';

/** Throws when the hold would pass the key's limit; a no-op without a key or a limit. */
export async function checkKeySpendingLimit(
  tx: TxContext,
  hold: { api_key_id: string | null; amount_micro_usd: bigint },
): Promise<void> {
  if (hold.api_key_id === null) return;
  const row = await tx.db
    .selectFrom('api_key_spending_limits as l')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .selectAll('l')
    .select('a.time_zone')
    .where('l.api_key_id', '=', hold.api_key_id)
    .executeTakeFirst();
  if (row === undefined) return;
  const { time_zone, ...limitRow } = row;
  const limit = toKeySpendingLimit(limitRow);
  const period = periodContaining(time_zone, limit.window, tx.clock.now_ms());
  const spending = await keyWindowSpending(tx.db, { api_key_id: limit.api_key_id, period });
  const before = spending.charged_micro_usd + spending.held_micro_usd;
  if (before + hold.amount_micro_usd <= limit.amount_micro_usd) return;
  throw new DomainError<KeyLimitErrorCode>(
    'api_key_spending_limit_exceeded',
    `This job requires ${formatUsdForHumans(hold.amount_micro_usd)}, which would take this API ` +
      `key's spending this ${limit.window} (${formatUsdForHumans(before)}, including jobs in ` +
      `progress) past its limit of ${formatUsdForHumans(limit.amount_micro_usd)} per ${limit.window}.`,
    {
      param: 'spending_limit',
      details: {
        api_key_id: limit.api_key_id,
        window: limit.window,
        period: period.key,
        spending_limit_usd: formatMicroUsd(limit.amount_micro_usd),
        spending_limit_micro_usd: limit.amount_micro_usd,
        spent_micro_usd: spending.charged_micro_usd,
        held_micro_usd: spending.held_micro_usd,
        required_micro_usd: hold.amount_micro_usd,
      },
    },
  );
}
