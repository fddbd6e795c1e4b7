/**
 * The premium-credit cycle reset, a step of the job worker's tick (and of a web-plan admission
 * that finds its cycle due). At `resets_at` the cycle's unused premium credits expire (one ledger
 * transfer into `operator:expired:credit_milli`, never an edit), the next cycle's ledger account
 * is opened and granted the plan's allowance, and a `credits.reset` event is recorded, all in one
 * transaction. Credits held by jobs in flight stay held: the job settles or releases them on the
 * ended cycle's account, and what a release returns there expires on a later tick
 * (`expireEndedCycles`), so no credit outlives its cycle and none is lost.
 *
 * Exactly once across nodes: a reset runs under the account's row lock (step 2 of
 * `ledger/locks.ts`; the sweep skips an account another transaction holds, and that one resets it
 * itself or a later tick does), re-reads the subscription under the lock and advances it with a
 * conditional update; the expiry and grant transfer ids derive from the cycle's ledger account.
 */
import { sql } from 'kysely';
import type { TxContext } from '../context.ts';
import { lockRowsSkipLocked, whereIdIn } from '../db/dialect.ts';
import { recordEvent } from '../events/events.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { lockAccounts } from '../ledger/locks.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { getPlan } from './catalog.ts';
import {
  addOnAccountId,
  CREDIT_EXPIRED_ACCOUNT_ID,
  freeOf,
  premiumAccountId,
} from './credit-accounts.ts';
import { nextCycle } from './cycles.ts';
import type { SubscriptionRow } from './plans.table.ts';
import { startCycle } from './subscriptions.ts';

/**
 * Resets `subscription` if its cycle is due, returning it as it stands after. The caller holds
 * the account's row lock and read `subscription` under it.
 */
export async function rollCycleIfDue(
  tx: TxContext,
  subscription: SubscriptionRow,
): Promise<SubscriptionRow> {
  const now_ms = tx.clock.now_ms();
  if (subscription.resets_at_ms > now_ms) return subscription;
  const plan = await getPlan(tx.db, subscription.plan_id);
  const ended = premiumAccountId(subscription.account_id, subscription.cycle_number);
  // Step 3 of the lock order before the operator accounts the transfers below lock: the
  // account's credit accounts (the next cycle's is created by this transaction).
  await lockAccounts(tx, [ended, addOnAccountId(subscription.account_id)]);
  const expired_credit_milli = await expireFree(tx, ended);
  const next = nextCycle(subscription, plan.cycle_months, now_ms);
  const updated = await tx.db
    .updateTable('subscriptions')
    .set({
      cycle_number: next.cycle_number,
      cycle_started_at_ms: next.started_at_ms,
      resets_at_ms: next.resets_at_ms,
      updated_at_ms: now_ms,
    })
    .where('account_id', '=', subscription.account_id)
    .where('cycle_number', '=', subscription.cycle_number)
    .executeTakeFirst();
  assert(updated.numUpdatedRows === 1n, `cycle of ${subscription.account_id} advanced once`);
  await startCycle(tx, {
    account_id: subscription.account_id,
    plan,
    cycle_number: next.cycle_number,
    started_at_ms: next.started_at_ms,
    ends_at_ms: next.resets_at_ms,
  });
  await recordEvent(tx, {
    type: 'credits.reset',
    account_id: subscription.account_id,
    payload: {
      plan: plan.id,
      cycle_number: next.cycle_number,
      expired_credit_milli,
      granted_credit_milli: plan.premium_credit_milli,
      cycle_started_at_ms: next.started_at_ms,
      resets_at_ms: next.resets_at_ms,
    },
  });
  return {
    ...subscription,
    cycle_number: next.cycle_number,
    cycle_started_at_ms: next.started_at_ms,
    resets_at_ms: next.resets_at_ms,
    updated_at_ms: now_ms,
  };
}

/** Moves the free part of a cycle's account to the expired account; returns the amount. */
async function expireFree(tx: TxContext, ledger_account_id: string): Promise<bigint> {
  const row = (await lockAccounts(tx, [ledger_account_id])).get(ledger_account_id);
  if (row === undefined) return 0n;
  const free = freeOf(row);
  if (free <= 0n) return 0n;
  const [result] = await createTransfers(tx, [
    {
      id: `${ledger_account_id}:expire:${row.debits_posted}`,
      debit_account_id: ledger_account_id,
      credit_account_id: CREDIT_EXPIRED_ACCOUNT_ID,
      amount: free,
      code: TRANSFER_CODES.credits_expired,
      reference: row.owner_id,
    },
  ]);
  assert(result === 'ok', `expiring ${ledger_account_id} under its lock: ${result}`);
  return free;
}

/**
 * The worker's step: resets at most `limit` due subscriptions (skipping accounts locked by
 * another transaction), then expires what jobs released into ended cycles and closes the ended
 * cycles with nothing left. Returns how many cycles it reset or expired.
 */
export async function resetDueCycles(tx: TxContext, options: { limit: number }): Promise<number> {
  const now_ms = tx.clock.now_ms();
  const due = await tx.db
    .selectFrom('subscriptions')
    .select('account_id')
    .where('resets_at_ms', '<=', now_ms)
    .orderBy('account_id')
    .limit(options.limit)
    .execute();
  let moved = 0;
  for (const { account_id } of due) {
    const lockQuery = tx.db.selectFrom('accounts').select('id').where('id', '=', account_id);
    if ((await lockRowsSkipLocked(tx.dialect, lockQuery).executeTakeFirst()) === undefined)
      continue;
    const subscription = await tx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('account_id', '=', account_id)
      .executeTakeFirstOrThrow();
    if (subscription.resets_at_ms > now_ms) continue;
    await rollCycleIfDue(tx, subscription);
    moved++;
  }
  return moved + (await expireEndedCycles(tx, options));
}

/**
 * Ended cycles (not an account's current one) with credits free, which a job released after the
 * reset, expire now; those with nothing free or held are closed. Ledger accounts locked by
 * another transaction are left for the next tick.
 */
export async function expireEndedCycles(
  tx: TxContext,
  options: { limit: number },
): Promise<number> {
  const now_ms = tx.clock.now_ms();
  const ended = await tx.db
    .selectFrom('credit_cycles as c')
    .innerJoin('subscriptions as s', 's.account_id', 'c.account_id')
    .innerJoin('ledger_accounts as a', 'a.id', 'c.ledger_account_id')
    .select('c.ledger_account_id')
    .where('c.closed_at_ms', 'is', null)
    .where('c.ends_at_ms', '<=', now_ms)
    .whereRef('c.cycle_number', '<', 's.cycle_number')
    .where(sql<boolean>`(a.credits_posted - a.debits_posted - a.debits_pending > 0
      or a.debits_pending = 0)`)
    .orderBy('c.ledger_account_id')
    .limit(options.limit)
    .execute();
  if (ended.length === 0) return 0;
  const ids = ended.map((cycle) => cycle.ledger_account_id);
  const lockQuery = tx.db
    .selectFrom('ledger_accounts')
    .select('id')
    .where(whereIdIn(tx.dialect, 'id', ids))
    .orderBy('id');
  const lockable = (await lockRowsSkipLocked(tx.dialect, lockQuery).execute()).map((r) => r.id);
  let expired = 0;
  for (const id of lockable) {
    if ((await expireFree(tx, id)) > 0n) expired++;
    const row = (await lockAccounts(tx, [id])).get(id)!;
    if (row.debits_pending === 0n && freeOf(row) === 0n) {
      await tx.db
        .updateTable('credit_cycles')
        .set({ closed_at_ms: now_ms })
        .where('ledger_account_id', '=', id)
        .execute();
    }
  }
  return expired;
}
