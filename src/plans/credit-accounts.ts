/**
 * An account's web-plan credits in the ledger, in their own currency `credit_milli` (thousandths
 * of a credit), never mixed with USD: every transfer here is between `credit_milli` accounts.
 * - one no-overdraft account per premium-credit cycle, `credits:<account>:premium:<n>`, granted
 *   the plan's allowance when the cycle starts and emptied into the operator's expired account
 *   when it ends (`cycle-reset.ts`); a hold of an ended cycle stays until its job resolves;
 * - one no-overdraft add-on account, `credits:<account>:add_on`: the operator's packs, which never
 *   expire and are spent after the premium credits.
 * The operator side: allowances and packs are issued from `operator:promotions:credit_milli` (the
 * credit-issuance account), spent credits go to the account's `credit_milli` revenue shard, and
 * expired ones to `operator:expired:credit_milli`.
 */
import type { TxContext } from '../context.ts';
import { createAccounts } from '../ledger/accounts.ts';
import { ACCOUNT_CODES, ACCOUNT_FLAGS } from '../ledger/codes.ts';
import { isApplied } from '../ledger/errors.ts';
import type { AccountRow } from '../ledger/ledger.table.ts';
import {
  expiredAccountId,
  promotionsAccountId,
  revenueAccountIdFor,
} from '../ledger/operator-accounts.ts';
import { assert } from '../shared/assert.ts';

export function premiumAccountId(account_id: string, cycle_number: bigint): string {
  return `credits:${account_id}:premium:${cycle_number}`;
}

export function addOnAccountId(account_id: string): string {
  return `credits:${account_id}:add_on`;
}

/** Where plan allowances and add-on packs come from. */
export const CREDIT_ISSUANCE_ACCOUNT_ID = promotionsAccountId('credit_milli');
export const CREDIT_EXPIRED_ACCOUNT_ID = expiredAccountId('credit_milli');

export function creditRevenueAccountId(tx: TxContext, account_id: string): string {
  return revenueAccountIdFor('credit_milli', account_id, tx.config.limits.revenue_shard_count);
}

/** Creates the customer's credit ledger accounts with these ids if missing. Idempotent. */
export async function ensureCreditAccounts(
  tx: TxContext,
  account_id: string,
  ids: readonly string[],
): Promise<void> {
  const results = await createAccounts(
    tx,
    ids.map((id) => ({
      id,
      currency: 'credit_milli' as const,
      code: ACCOUNT_CODES.customer_credits,
      flags: ACCOUNT_FLAGS.debits_must_not_exceed_credits,
      owner_id: account_id,
    })),
  );
  assert(results.every(isApplied), `credit accounts of ${account_id}: ${results.join(',')}`);
}

/** What an account can still spend: posted credits less posted and pending debits. */
export function freeOf(
  row: Pick<AccountRow, 'credits_posted' | 'debits_posted' | 'debits_pending'>,
): bigint {
  return row.credits_posted - row.debits_posted - row.debits_pending;
}
