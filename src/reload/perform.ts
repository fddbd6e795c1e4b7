/**
 * Performing auto-reloads (the reload worker's step): for each `pending` reload, the off-session
 * charge OUTSIDE any transaction (`charge.ts`), then ONE transaction that closes the reload row
 * with a conditional UPDATE (`pending` → `succeeded` | `failed`) and, only if this call closed
 * it, applies the outcome: on success a paid grant (`source: 'auto_reload'`), the failure count
 * reset and `auto_reload.succeeded`; on failure `auto_reload.failed` and one more consecutive
 * failure, and at `auto_reload_failures_max` auto-reload turned off with
 * `auto_reload.disabled` saying why (the decline code). A crash between the charge and the
 * close, or two workers on one reload, pays once (Stripe's idempotency key) and credits once
 * (the conditional close). Either way the wallet's in-flight slot is freed in the same
 * transaction, and the balance is checked again (`watchBalance`).
 */

import { watchBalance } from '../alerts/balance-watch.ts';
import type { AppContext, TxContext } from '../context.ts';
import { withTransaction } from '../context.ts';
import { recordEvent } from '../events/events.ts';
import { type StripeClient, stripeClientFor } from '../payments/stripe-client.ts';
import { grantFunds } from '../wallets/grants.ts';
import { type ChargeOutcome, chargeOffSession } from './charge.ts';
import { paymentMethodForReload } from './payment-method.ts';
import type { AutoReloadRow } from './reload.table.ts';

export type ReloadOutcome = 'succeeded' | 'failed' | 'retry' | 'already_closed';
type Failure = Extract<ChargeOutcome, { outcome: 'failed' }>;

/** Performs up to `limit` pending reloads, oldest first; returns how many it closed. */
export async function runAutoReloads(ctx: AppContext, options: { limit: number }): Promise<number> {
  const stripe = stripeClientFor(ctx.config);
  if (stripe === null) return 0;
  const pending = await ctx.db
    .selectFrom('auto_reloads')
    .selectAll()
    .where('status', '=', 'pending')
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  let closed = 0;
  for (const reload of pending) {
    const outcome = await performAutoReload(ctx, stripe, reload);
    if (outcome === 'retry') ctx.log.warn({ reload_id: reload.id }, 'auto-reload will be retried');
    else closed++;
  }
  return closed;
}

/** Charges one pending reload and closes it (once, whoever else tries). */
export async function performAutoReload(
  ctx: AppContext,
  stripe: StripeClient,
  reload: AutoReloadRow,
): Promise<ReloadOutcome> {
  const method = await paymentMethodForReload(ctx.db, reload.account_id);
  const charge: ChargeOutcome =
    method === null
      ? {
          outcome: 'failed',
          reason: 'no_payment_method',
          message: 'No payment method is saved for off-session payments.',
          payment_intent_id: null,
        }
      : await chargeOffSession(stripe, { reload, method });
  if (charge.outcome === 'retry') return 'retry';
  const outcome = await withTransaction(ctx, (tx) =>
    charge.outcome === 'succeeded'
      ? closeSucceeded(tx, reload, charge.payment_intent_id)
      : closeFailed(tx, reload, charge),
  );
  // Counted after the commit, once: whoever closed the reload counts it.
  if (outcome === 'succeeded' || outcome === 'failed') ctx.counts.auto_reloads[outcome] += 1;
  return outcome;
}

async function closeSucceeded(
  tx: TxContext,
  reload: AutoReloadRow,
  payment_intent_id: string,
): Promise<ReloadOutcome> {
  if (!(await closeReload(tx, reload, { status: 'succeeded', payment_intent_id }))) {
    return 'already_closed';
  }
  const grant = await grantFunds(tx, {
    account_id: reload.account_id,
    kind: 'paid',
    amount_micro_usd: reload.amount_micro_usd,
    memo: `Auto-reload ${reload.id} (${payment_intent_id})`,
    source: 'auto_reload',
  });
  await tx.db
    .updateTable('auto_reloads')
    .set({ grant_id: grant.id })
    .where('id', '=', reload.id)
    .execute();
  await freeReloadSlot(tx, reload, { auto_reload_failures: 0n });
  await recordEvent(tx, {
    type: 'auto_reload.succeeded',
    account_id: reload.account_id,
    payload: {
      auto_reload_id: reload.id,
      amount_micro_usd: reload.amount_micro_usd,
      payment_intent_id,
      grant_id: grant.id,
    },
  });
  await watchBalance(tx, { account_id: reload.account_id, spent_micro_usd: 0n });
  return 'succeeded';
}

async function closeFailed(
  tx: TxContext,
  reload: AutoReloadRow,
  failure: Failure,
): Promise<ReloadOutcome> {
  const closed = await closeReload(tx, reload, {
    status: 'failed',
    payment_intent_id: failure.payment_intent_id,
    failure_code: failure.reason,
    failure_message: failure.message,
  });
  if (!closed) return 'already_closed';
  await freeReloadSlot(tx, reload, {});
  await tx.db
    .updateTable('balance_watches')
    .set((eb) => ({ auto_reload_failures: eb('auto_reload_failures', '+', 1n) }))
    .where('account_id', '=', reload.account_id)
    .execute();
  const watch = await tx.db
    .selectFrom('balance_watches')
    .select(['auto_reload_failures', 'auto_reload_enabled'])
    .where('account_id', '=', reload.account_id)
    .executeTakeFirstOrThrow();
  const payload = {
    auto_reload_id: reload.id,
    amount_micro_usd: reload.amount_micro_usd,
    reason: failure.reason,
    message: failure.message,
    payment_intent_id: failure.payment_intent_id,
    consecutive_failures: watch.auto_reload_failures,
  };
  await recordEvent(tx, { type: 'auto_reload.failed', account_id: reload.account_id, payload });
  const failuresMax = BigInt(tx.config.limits.auto_reload_failures_max);
  if (watch.auto_reload_enabled === 1n && watch.auto_reload_failures >= failuresMax) {
    await tx.db
      .updateTable('balance_watches')
      .set({ auto_reload_enabled: 0n, auto_reload_disabled_reason: failure.reason })
      .where('account_id', '=', reload.account_id)
      .execute();
    await recordEvent(tx, { type: 'auto_reload.disabled', account_id: reload.account_id, payload });
  }
  return 'failed';
}

/** `pending` → `status`; false if another call closed the reload first (it changes nothing). */
async function closeReload(
  tx: TxContext,
  reload: AutoReloadRow,
  set: Partial<Pick<AutoReloadRow, 'payment_intent_id' | 'failure_code' | 'failure_message'>> & {
    status: 'succeeded' | 'failed';
  },
): Promise<boolean> {
  const result = await tx.db
    .updateTable('auto_reloads')
    .set({ ...set, completed_at_ms: tx.clock.now_ms() })
    .where('id', '=', reload.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Frees the wallet's in-flight slot (and sets `also`). On success this comes after the grant:
 * the lock order of `ledger/locks.ts` puts the wallet before its watch row, as at admission.
 */
async function freeReloadSlot(
  tx: TxContext,
  reload: AutoReloadRow,
  also: { auto_reload_failures?: bigint },
): Promise<void> {
  await tx.db
    .updateTable('balance_watches')
    .set({ ...also, auto_reload_pending_id: null })
    .where('account_id', '=', reload.account_id)
    .where('auto_reload_pending_id', '=', reload.id)
    .execute();
}
