/**
 * What a usage-based account has spent in a period, read from the ledger (the one source of
 * truth): the charges posted to its receivable within the period (a job is charged in the period
 * it completes in) minus the refunds credited back to it within the period (a refund counts in the
 * period it is made in, whatever period its charge was in), and the holds of its jobs in flight
 * (the receivable's pending debits, whatever period they were placed in). Works in or out of a transaction; inside admission the account's
 * row lock makes the read and the hold that follows one step.
 */
import type { Kysely } from 'kysely';
import type { AccountErrorCode } from '../accounts/errors.ts';
import type { DB } from '../db/database.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { DomainError } from '../shared/errors.ts';
import { type CalendarPeriod, periodContaining } from '../shared/time-zones.ts';
import { receivableAccountId } from './receivable.ts';

export type PeriodSpending = {
  /**
   * Charges posted in the period, net of the refunds made in it: what the cap counts and the
   * period's statement totals. Negative when the period's refunds exceed its charges.
   */
  charged_micro_usd: bigint;
  /** Holds of jobs in flight. */
  held_micro_usd: bigint;
};

export async function periodSpending(
  db: Kysely<DB>,
  request: { account_id: string; period: CalendarPeriod },
): Promise<PeriodSpending> {
  const receivable = receivableAccountId(request.account_id);
  const inPeriod = (side: 'debit_account_id' | 'credit_account_id', code: bigint) =>
    db
      .selectFrom('ledger_transfers')
      .select((eb) => eb.fn.sum<bigint | string | number | null>('amount').as('total'))
      .where(side, '=', receivable)
      .where('created_at_ms', '>=', request.period.start_ms)
      .where('created_at_ms', '<', request.period.end_ms)
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
  const [charged, refunded, account] = await Promise.all([
    inPeriod('debit_account_id', TRANSFER_CODES.settle),
    inPeriod('credit_account_id', TRANSFER_CODES.refund),
    db
      .selectFrom('ledger_accounts')
      .select('debits_pending')
      .where('id', '=', receivable)
      .executeTakeFirst(),
  ]);
  return {
    charged_micro_usd: BigInt(charged.total ?? 0) - BigInt(refunded.total ?? 0),
    held_micro_usd: account?.debits_pending ?? 0n,
  };
}

/** The account's cap and time zone (no cap row: no cap); `account_not_found` if unknown. */
export type CapSettings = {
  account_id: string;
  time_zone: string;
  spending_cap_micro_usd: bigint | null;
  cap_reached_period: string | null;
};

export async function readCapSettings(db: Kysely<DB>, account_id: string): Promise<CapSettings> {
  const row = await db
    .selectFrom('accounts')
    .leftJoin('usage_based_caps as cap', 'cap.account_id', 'accounts.id')
    .select(['accounts.time_zone', 'cap.spending_cap_micro_usd', 'cap.cap_reached_period'])
    .where('accounts.id', '=', account_id)
    .executeTakeFirst();
  if (row === undefined) {
    throw new DomainError<AccountErrorCode>('account_not_found', `No account ${account_id}.`);
  }
  return {
    account_id,
    time_zone: row.time_zone,
    spending_cap_micro_usd: row.spending_cap_micro_usd,
    cap_reached_period: row.cap_reached_period,
  };
}

/** The current month of the account's time zone. */
export function currentPeriod(settings: { time_zone: string }, now_ms: bigint): CalendarPeriod {
  return periodContaining(settings.time_zone, 'month', now_ms);
}
