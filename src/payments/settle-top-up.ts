/**
 * Applies what a Stripe webhook told us about a top-up, in one transaction with the top-up's row
 * locked (taken before the wallet's ledger accounts, `ledger/locks.ts`). The facts only grow
 * (`top-up-state.ts`), and the money follows the facts:
 *
 * - Credit, exactly once per paid top-up: the `top_up_credits` row (primary key: the top-up;
 *   unique: the Checkout Session) is inserted with `ON CONFLICT DO NOTHING` in the grant's own
 *   transaction, so a second credit of the same payment cannot commit, whatever the events do.
 *   A credit records `top_up.credited`.
 * - Debit back, each cent once: the wallet owes back `reversalTarget` (refunds, from Stripe's
 *   cumulative `amount_refunded`, plus a lost dispute, at most what was credited); what is owed
 *   beyond `reversed_micro_usd` is debited (possibly below zero) and recorded in
 *   `top_up_reversals`, unique by the new total, and as `top_up.reversed`. A refund that arrives
 *   before the payment's completion is remembered and debited right after the credit.
 */

import { watchBalance } from '../alerts/balance-watch.ts';
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { recordEvent } from '../events/events.ts';
import type { TopUpOutcome } from '../shared/outcome-counts.ts';
import { debitWallet } from '../wallets/debit.ts';
import { grantFunds } from '../wallets/grants.ts';
import { type SavedPaymentMethod, savePaymentMethod } from './customers.ts';
import type { TopUpRow } from './payments.table.ts';
import {
  type CheckoutState,
  nextCheckoutState,
  refundedAfter,
  reversalTarget,
  topUpStatus,
} from './top-up-state.ts';

export type TopUpFacts =
  | {
      kind: 'checkout';
      top_up_id: string;
      /** The account the session's metadata names (checked against the top-up's). */
      account_id: string | null;
      session_id: string;
      payment_intent_id: string | null;
      state: CheckoutState;
      /** The payment method to save for off-session charges, when the payment carried one. */
      saved: SavedPaymentMethod | null;
    }
  | {
      kind: 'refund';
      top_up_id: string;
      payment_intent_id: string | null;
      /** Stripe's cumulative `amount_refunded` of the charge. */
      refunded_micro_usd: bigint;
    }
  | {
      kind: 'dispute';
      top_up_id: string;
      payment_intent_id: string | null;
      state: 'open' | 'won' | 'lost';
      disputed_micro_usd: bigint;
    };

export type ApplyOutcome = 'applied' | 'unknown_top_up';
/** An outcome plus the top-up's end, if these facts ended it now (for the outcome counts). */
export type ApplyResult = { outcome: ApplyOutcome; ended: TopUpOutcome | null };

/** Applies `facts` to the top-up and moves the money they call for. Requires a transaction. */
export async function applyTopUpFacts(tx: TxContext, facts: TopUpFacts): Promise<ApplyResult> {
  const unknown = { outcome: 'unknown_top_up', ended: null } as const;
  const query = tx.db.selectFrom('top_ups').selectAll().where('id', '=', facts.top_up_id);
  const row = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (row === undefined) return unknown;
  if (
    facts.kind === 'checkout' &&
    facts.account_id !== null &&
    facts.account_id !== row.account_id
  ) {
    tx.log.error({ top_up_id: row.id, facts }, 'stripe: session names another account; ignored');
    return unknown;
  }
  if (facts.kind === 'checkout' && isOtherSession(row, facts.session_id)) {
    // Only one session per top-up is ever returned to the customer; another one reporting is
    // ignored (if it was paid, that money reached no wallet: the operator refunds it in Stripe).
    tx.log.error({ top_up_id: row.id, facts }, 'stripe: another session for a top-up; ignored');
    return unknown;
  }
  let next = learn(row, facts);
  if (next.checkout_state === 'paid' && next.credited_at_ms === null) {
    next = await creditTopUp(tx, next);
  }
  const target = reversalTarget(next);
  if (target > next.reversed_micro_usd) {
    const reason = facts.kind === 'dispute' && facts.state === 'lost' ? 'dispute' : 'refund';
    next = await reverseTopUp(tx, next, { target, reason });
  }
  await tx.db
    .updateTable('top_ups')
    .set({ ...next, updated_at_ms: tx.clock.now_ms() })
    .where('id', '=', row.id)
    .execute();
  if (facts.kind === 'checkout' && facts.saved !== null && next.checkout_state === 'paid') {
    await savePaymentMethod(tx, { account_id: row.account_id, ...facts.saved });
  }
  return { outcome: 'applied', ended: endedNow(row, next) };
}

/** `completed` when these facts credited the top-up, `failed` when they ended it unpaid. */
function endedNow(before: TopUpRow, after: TopUpRow): TopUpOutcome | null {
  if (before.credited_at_ms === null && after.credited_at_ms !== null) return 'completed';
  const unpaid = (state: string) => state === 'failed' || state === 'expired';
  if (!unpaid(before.checkout_state) && unpaid(after.checkout_state)) return 'failed';
  return null;
}

function isOtherSession(row: TopUpRow, session_id: string): boolean {
  return row.checkout_session_id !== null && row.checkout_session_id !== session_id;
}

/** The row with `facts` learned; facts only grow, so a stale or repeated one changes nothing. */
function learn(row: TopUpRow, facts: TopUpFacts): TopUpRow {
  const payment_intent_id = row.payment_intent_id ?? facts.payment_intent_id;
  if (facts.kind === 'checkout') {
    return {
      ...row,
      payment_intent_id,
      checkout_session_id: facts.session_id,
      checkout_state: nextCheckoutState(row.checkout_state, facts.state),
    };
  }
  if (facts.kind === 'refund') {
    const refunded_micro_usd = refundedAfter(row, facts.refunded_micro_usd);
    return { ...row, payment_intent_id, refunded_micro_usd };
  }
  if (row.dispute_state === 'lost' || row.dispute_state === 'won')
    return { ...row, payment_intent_id };
  if (facts.state === 'open') return { ...row, payment_intent_id, dispute_state: 'open' };
  const disputed_micro_usd = facts.state === 'lost' ? facts.disputed_micro_usd : 0n;
  return { ...row, payment_intent_id, dispute_state: facts.state, disputed_micro_usd };
}

async function creditTopUp(tx: TxContext, row: TopUpRow): Promise<TopUpRow> {
  const now_ms = tx.clock.now_ms();
  const session = row.checkout_session_id ?? row.id;
  const claimed = await tx.db
    .insertInto('top_up_credits')
    .values({
      top_up_id: row.id,
      checkout_session_id: session,
      grant_id: null,
      amount_micro_usd: row.amount_micro_usd,
      created_at_ms: now_ms,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('top_up_id')
    .executeTakeFirst();
  if (claimed === undefined) {
    tx.log.error({ top_up_id: row.id }, 'stripe: top-up already credited; not crediting again');
    return { ...row, credited_at_ms: now_ms };
  }
  const grant = await grantFunds(tx, {
    account_id: row.account_id,
    kind: 'paid',
    amount_micro_usd: row.amount_micro_usd,
    memo: `Top-up ${row.id}`,
    source: 'payment',
  });
  await tx.db
    .updateTable('top_up_credits')
    .set({ grant_id: grant.id })
    .where('top_up_id', '=', row.id)
    .execute();
  await recordEvent(tx, {
    type: 'top_up.credited',
    account_id: row.account_id,
    payload: {
      top_up_id: row.id,
      amount_micro_usd: row.amount_micro_usd,
      grant_id: grant.id,
      checkout_session_id: row.checkout_session_id,
    },
  });
  return { ...row, credited_at_ms: now_ms };
}

async function reverseTopUp(
  tx: TxContext,
  row: TopUpRow,
  owed: { target: bigint; reason: 'refund' | 'dispute' },
): Promise<TopUpRow> {
  const amount_micro_usd = owed.target - row.reversed_micro_usd;
  const memo =
    owed.reason === 'refund' ? `Top-up ${row.id} refunded` : `Top-up ${row.id} dispute lost`;
  const debit = await debitWallet(tx, {
    account_id: row.account_id,
    amount_micro_usd,
    memo,
    reason: owed.reason === 'refund' ? 'payment_refund' : 'payment_dispute',
    reference: row.id,
    // One debit per cumulative total: the same reversal can never be taken twice.
    id: `${row.id}.reversed.${owed.target}`,
  });
  // A reversal lowers the available balance like a job does: alerts and auto-reload see it.
  await watchBalance(tx, { account_id: row.account_id, spent_micro_usd: amount_micro_usd });
  await tx.db
    .insertInto('top_up_reversals')
    .values({
      id: tx.ids.newId('topuprev'),
      top_up_id: row.id,
      reason: owed.reason,
      amount_micro_usd,
      reversed_through_micro_usd: owed.target,
      transfer_id: debit.transfer_id,
      created_at_ms: tx.clock.now_ms(),
    })
    .execute();
  const next = { ...row, reversed_micro_usd: owed.target };
  await recordEvent(tx, {
    type: 'top_up.reversed',
    account_id: row.account_id,
    payload: {
      top_up_id: row.id,
      reason: owed.reason,
      amount_micro_usd,
      reversed_micro_usd: owed.target,
      transfer_id: debit.transfer_id,
      status: topUpStatus(next),
    },
  });
  return next;
}
