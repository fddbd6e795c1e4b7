/**
 * Test helpers for usage-based (postpaid) accounts and per-key spending limits: make a test
 * customer usage-based (with a cap and time zone), read its receivable, list its events of one type.
 */
import type { AppContext } from '../src/context.ts';
import { withTransaction } from '../src/context.ts';
import { receivableAccountId } from '../src/usage-based/receivable.ts';
import { updateBillingSettings } from '../src/usage-based/settings.ts';
import type { Customer } from './customers.ts';

export async function makeUsageBased(
  ctx: AppContext,
  customer: Customer,
  options: { spending_cap_micro_usd?: bigint | null; time_zone?: string } = {},
) {
  return withTransaction(ctx, (tx) =>
    updateBillingSettings(tx, {
      account_id: customer.account_id,
      billing_type: 'usage_based',
      ...options,
    }),
  );
}

/** The customer's receivable: what its usage-based jobs hold (pending) and were charged (posted). */
export async function receivableOf(ctx: AppContext, customer: Customer) {
  const row = await ctx.db
    .selectFrom('ledger_accounts')
    .select(['debits_pending', 'debits_posted', 'credits_posted'])
    .where('id', '=', receivableAccountId(customer.account_id))
    .executeTakeFirstOrThrow();
  return row;
}

export async function eventsOfType(ctx: AppContext, customer: Customer, type: string) {
  const rows = await ctx.db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('account_id', '=', customer.account_id)
    .where('type', '=', type)
    .execute();
  return rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>);
}
