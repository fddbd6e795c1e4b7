/**
 * How a customer account's API keys pay, as the operator sets it: the billing type (`wallet`:
 * prepaid; `usage_based`: postpaid, accruing on the account's receivable), the optional spending
 * cap of a usage-based account (per period, null: none) and the account's time zone (IANA, the
 * periods of statements and of per-key limits follow it). An update locks the account's row, as
 * admission does, so a cap change and an admission never interleave; making an account
 * usage-based creates its receivable in the same transaction. Jobs in flight keep the pool they
 * were admitted on.
 */
import type { Kysely } from 'kysely';
import type { AccountErrorCode } from '../accounts/errors.ts';
import { type AccountBillingType, isAccountBillingType } from '../billing/pools.ts';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { AMOUNT_MICRO_USD_MAX } from '../shared/money.ts';
import { type CalendarPeriod, canonicalTimeZone } from '../shared/time-zones.ts';
import type { UsageBasedErrorCode } from './errors.ts';
import { ensureReceivableAccount } from './receivable.ts';
import { currentPeriod, periodSpending, readCapSettings } from './spending.ts';

export type BillingSettingsUpdate = {
  account_id: string;
  billing_type?: string;
  time_zone?: string;
  /** Null removes the cap. */
  spending_cap_micro_usd?: bigint | null;
};

/** An account's billing settings and its spending in the current period. */
export type BillingSummary = {
  account_id: string;
  billing_type: AccountBillingType;
  time_zone: string;
  spending_cap_micro_usd: bigint | null;
  period: CalendarPeriod;
  /** Charges posted in the current period (what the statement will list). */
  spending_current_micro_usd: bigint;
  /** Holds of jobs in flight, which count against the cap. */
  held_micro_usd: bigint;
};

function invalid(param: string, message: string): DomainError<UsageBasedErrorCode> {
  return new DomainError<UsageBasedErrorCode>('billing_settings_invalid', message, { param });
}

/** Applies the fields given; `account_not_found`, or `billing_settings_invalid` naming the field. */
export async function updateBillingSettings(
  tx: TxContext,
  update: BillingSettingsUpdate,
): Promise<BillingSummary> {
  const query = tx.db.selectFrom('accounts').select('id').where('id', '=', update.account_id);
  const locked = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (locked === undefined) throw accountNotFound(update.account_id);
  const now_ms = tx.clock.now_ms();
  const changes: { billing_type?: AccountBillingType; time_zone?: string } = {};
  if (update.billing_type !== undefined) {
    if (!isAccountBillingType(update.billing_type)) {
      throw invalid('billing_type', 'billing_type must be "wallet" or "usage_based".');
    }
    changes.billing_type = update.billing_type;
    if (update.billing_type === 'usage_based') {
      await ensureReceivableAccount(tx, update.account_id);
    }
  }
  if (update.time_zone !== undefined) {
    const time_zone = canonicalTimeZone(update.time_zone);
    if (time_zone === null) {
      throw invalid(
        'time_zone',
        'time_zone must be an IANA time zone name, such as "Europe/Paris".',
      );
    }
    changes.time_zone = time_zone;
  }
  if (Object.keys(changes).length > 0) {
    await tx.db.updateTable('accounts').set(changes).where('id', '=', update.account_id).execute();
  }
  if (update.spending_cap_micro_usd !== undefined) {
    await setCap(tx, update.account_id, update.spending_cap_micro_usd, now_ms);
  }
  return getBillingSummary(tx, update.account_id);
}

async function setCap(
  tx: TxContext,
  account_id: string,
  cap: bigint | null,
  now_ms: bigint,
): Promise<void> {
  if (cap !== null && (cap < 0n || cap > AMOUNT_MICRO_USD_MAX)) {
    throw invalid('spending_cap_usd', 'spending_cap_usd must be between 0 and 1,000,000,000.');
  }
  await tx.db
    .insertInto('usage_based_caps')
    .values({
      account_id,
      spending_cap_micro_usd: cap,
      cap_reached_period: null,
      updated_at_ms: now_ms,
    })
    .onConflict((conflict) =>
      // A new cap may be reached anew in the same period.
      conflict.column('account_id').doUpdateSet({
        spending_cap_micro_usd: cap,
        cap_reached_period: null,
        updated_at_ms: now_ms,
      }),
    )
    .execute();
}

/** The account's settings and current-period spending; `account_not_found` if unknown. */
export async function getBillingSummary(
  ctx: { db: Kysely<DB>; clock: Clock },
  account_id: string,
): Promise<BillingSummary> {
  const account = await ctx.db
    .selectFrom('accounts')
    .select('billing_type')
    .where('id', '=', account_id)
    .executeTakeFirst();
  if (account === undefined) throw accountNotFound(account_id);
  const settings = await readCapSettings(ctx.db, account_id);
  const period = currentPeriod(settings, ctx.clock.now_ms());
  const spending = await periodSpending(ctx.db, { account_id, period });
  return {
    account_id,
    billing_type: isAccountBillingType(account.billing_type) ? account.billing_type : 'wallet',
    time_zone: settings.time_zone,
    spending_cap_micro_usd: settings.spending_cap_micro_usd,
    period,
    spending_current_micro_usd: spending.charged_micro_usd,
    held_micro_usd: spending.held_micro_usd,
  };
}

function accountNotFound(account_id: string): DomainError<AccountErrorCode> {
  return new DomainError<AccountErrorCode>('account_not_found', `No account ${account_id}.`);
}
