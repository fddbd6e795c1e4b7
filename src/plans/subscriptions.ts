/**
 * An account's subscription to a web plan, and its credits as `users/me` and the operator see
 * them. Subscribing starts cycle 1 at once: its premium-credit ledger account is created and
 * granted the plan's allowance in the same transaction. Changing the plan of a subscribed account
 * changes its OAuth concurrency limit at once and its allowance from the next cycle (the credits
 * of the cycle in progress stay as granted). Writes lock the account's row first (step 2 of
 * `ledger/locks.ts`), as admission does, so a subscription change and an admission never
 * interleave.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { getPlan, type Plan } from './catalog.ts';
import {
  addOnAccountId,
  CREDIT_ISSUANCE_ACCOUNT_ID,
  ensureCreditAccounts,
  freeOf,
  premiumAccountId,
} from './credit-accounts.ts';
import { addMonthsUtc } from './cycles.ts';
import { planError } from './errors.ts';
import type { SubscriptionRow } from './plans.table.ts';

/**
 * Subscribes `account_id` to `plan_id`, or moves its subscription to that plan. Returns the
 * subscription. `account_not_found` / `plan_not_found` (naming `plan`) when either is unknown.
 */
export async function subscribe(
  tx: TxContext,
  request: { account_id: string; plan_id: string },
): Promise<SubscriptionRow> {
  await lockAccountRow(tx, request.account_id);
  const plan = await getPlan(tx.db, request.plan_id, 'plan');
  const now_ms = tx.clock.now_ms();
  const existing = await getSubscription(tx.db, request.account_id);
  if (existing !== null) {
    await tx.db
      .updateTable('subscriptions')
      .set({ plan_id: plan.id, updated_at_ms: now_ms })
      .where('account_id', '=', request.account_id)
      .execute();
    return { ...existing, plan_id: plan.id, updated_at_ms: now_ms };
  }
  const row: SubscriptionRow = {
    account_id: request.account_id,
    plan_id: plan.id,
    anchor_at_ms: now_ms,
    cycle_number: 1n,
    cycle_started_at_ms: now_ms,
    resets_at_ms: addMonthsUtc(now_ms, plan.cycle_months),
    created_at_ms: now_ms,
    updated_at_ms: now_ms,
  };
  await ensureCreditAccounts(tx, request.account_id, [addOnAccountId(request.account_id)]);
  await startCycle(tx, { account_id: request.account_id, plan, ...cycleOf(row) });
  await tx.db.insertInto('subscriptions').values(row).execute();
  return row;
}

export function cycleOf(row: SubscriptionRow) {
  return {
    cycle_number: row.cycle_number,
    started_at_ms: row.cycle_started_at_ms,
    ends_at_ms: row.resets_at_ms,
  };
}

/**
 * Opens a premium-credit cycle: its ledger account, its record, and the plan's allowance granted
 * from the credit-issuance account (transfer id `<cycle account>:grant`, so a retry grants once).
 */
export async function startCycle(
  tx: TxContext,
  cycle: {
    account_id: string;
    plan: Plan;
    cycle_number: bigint;
    started_at_ms: bigint;
    ends_at_ms: bigint;
  },
): Promise<void> {
  const ledger_account_id = premiumAccountId(cycle.account_id, cycle.cycle_number);
  await ensureCreditAccounts(tx, cycle.account_id, [ledger_account_id]);
  await tx.db
    .insertInto('credit_cycles')
    .values({
      ledger_account_id,
      account_id: cycle.account_id,
      cycle_number: cycle.cycle_number,
      plan_id: cycle.plan.id,
      allowance_credit_milli: cycle.plan.premium_credit_milli,
      started_at_ms: cycle.started_at_ms,
      ends_at_ms: cycle.ends_at_ms,
      closed_at_ms: null,
    })
    .execute();
  if (cycle.plan.premium_credit_milli === 0n) return;
  const [result] = await createTransfers(tx, [
    {
      id: `${ledger_account_id}:grant`,
      debit_account_id: CREDIT_ISSUANCE_ACCOUNT_ID,
      credit_account_id: ledger_account_id,
      amount: cycle.plan.premium_credit_milli,
      code: TRANSFER_CODES.credits_allowance,
      reference: cycle.account_id,
    },
  ]);
  assert(result === 'ok', `granting cycle ${ledger_account_id}: ${result}`);
}

export async function getSubscription(
  db: Kysely<DB>,
  account_id: string,
): Promise<SubscriptionRow | null> {
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('account_id', '=', account_id)
    .executeTakeFirst();
  return row ?? null;
}

/** A web plan's credits, in thousandths of a credit: what is free to spend and what is held. */
export type WebPlanCredits = {
  subscription: SubscriptionRow | null;
  plan: Plan | null;
  premium_free_credit_milli: bigint;
  premium_held_credit_milli: bigint;
  add_on_free_credit_milli: bigint;
  add_on_held_credit_milli: bigint;
};

/** Reads an account's web plan and credits; an account without a plan has zero premium credits. */
export async function readWebPlanCredits(
  db: Kysely<DB>,
  account_id: string,
): Promise<WebPlanCredits> {
  const subscription = await getSubscription(db, account_id);
  const ids = [addOnAccountId(account_id)];
  if (subscription !== null) ids.push(premiumAccountId(account_id, subscription.cycle_number));
  const rows = await db.selectFrom('ledger_accounts').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const premium =
    subscription === null
      ? undefined
      : byId.get(premiumAccountId(account_id, subscription.cycle_number));
  const addOn = byId.get(addOnAccountId(account_id));
  return {
    subscription,
    plan: subscription === null ? null : await getPlan(db, subscription.plan_id),
    premium_free_credit_milli: premium === undefined ? 0n : freeOf(premium),
    premium_held_credit_milli: premium?.debits_pending ?? 0n,
    add_on_free_credit_milli: addOn === undefined ? 0n : freeOf(addOn),
    add_on_held_credit_milli: addOn?.debits_pending ?? 0n,
  };
}

/**
 * The OAuth concurrency limit of the account's plan; `web_plan_required` when it has none (an
 * OAuth job cannot be admitted without a plan to bill).
 */
export async function oauthConcurrencyLimit(tx: TxContext, account_id: string): Promise<number> {
  const subscription = await getSubscription(tx.db, account_id);
  if (subscription === null) throw webPlanRequired(account_id);
  return (await getPlan(tx.db, subscription.plan_id)).oauth_concurrency_limit;
}

export function webPlanRequired(account_id: string) {
  return planError(
    'web_plan_required',
    `Account ${account_id} has no active web plan; OAuth usage is billed to a web plan. ` +
      'Ask the operator for a plan, or use an API key (billed to the API wallet).',
  );
}

async function lockAccountRow(tx: TxContext, account_id: string): Promise<void> {
  const query = tx.db.selectFrom('accounts').select('id').where('id', '=', account_id);
  const row = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (row === undefined) {
    throw new DomainError('account_not_found', `Account ${account_id} not found.`, {
      param: 'account_id',
    });
  }
}
