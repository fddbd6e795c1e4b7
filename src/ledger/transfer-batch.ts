/**
 * Applies a batch of transfers to an in-memory copy of the accounts and pending transfers they
 * touch, in order, with an undo log so a failed linked chain leaves no trace. The database work
 * (loading that copy and writing back what changed) belongs to `transfers.ts`; this module is the
 * ledger's rules: balance limits, two-phase resolution, overruns and expiry.
 */
import { assert } from '../shared/assert.ts';
import { ACCOUNT_FLAGS, BALANCE_MAX, hasFlag, TRANSFER_FLAGS } from './codes.ts';
import type { CreateTransferResult } from './errors.ts';
import type { AccountRow, PendingRow, TransferRow } from './ledger.table.ts';
import { compareTransfer, type NormalizedTransfer } from './transfer-rules.ts';

export type BatchState = {
  now_ms: bigint;
  accounts: Map<string, AccountRow>;
  transfers: Map<string, TransferRow>;
  pendings: Map<string, PendingRow>;
  new_transfers: TransferRow[];
  touched_account_ids: Set<string>;
  touched_pending_ids: Set<string>;
  undo: Array<() => void>;
};

export function createBatchState(parts: {
  now_ms: bigint;
  accounts: Map<string, AccountRow>;
  transfers: Map<string, TransferRow>;
  pendings: Map<string, PendingRow>;
}): BatchState {
  return {
    ...parts,
    new_transfers: [],
    touched_account_ids: new Set(),
    touched_pending_ids: new Set(),
    undo: [],
  };
}

export function markBatch(state: BatchState): number {
  return state.undo.length;
}

export function rollbackBatch(state: BatchState, mark: number): void {
  while (state.undo.length > mark) state.undo.pop()!();
}

type BalanceDelta = Partial<
  Record<'debits_pending' | 'debits_posted' | 'credits_pending' | 'credits_posted', bigint>
>;

function adjust(state: BatchState, account: AccountRow, delta: BalanceDelta): void {
  const before = { ...account };
  state.undo.push(() => Object.assign(account, before));
  for (const [field, amount] of Object.entries(delta) as Array<[keyof BalanceDelta, bigint]>) {
    account[field] += amount;
    assert(account[field] >= 0n, `ledger: ${account.id}.${field} went negative`);
  }
  state.touched_account_ids.add(account.id);
}

function setPending(state: BatchState, pending: PendingRow, next: Partial<PendingRow>): void {
  const before = { ...pending };
  state.undo.push(() => Object.assign(pending, before));
  Object.assign(pending, next);
  state.touched_pending_ids.add(pending.transfer_id);
}

function record(state: BatchState, row: TransferRow, pending: PendingRow | null): void {
  state.transfers.set(row.id, row);
  state.new_transfers.push(row);
  if (pending !== null) {
    state.pendings.set(row.id, pending);
    state.touched_pending_ids.add(row.id);
  }
  state.undo.push(() => {
    state.transfers.delete(row.id);
    state.new_transfers.pop();
    if (pending !== null) state.pendings.delete(row.id);
  });
}

/** Applies one statically valid transfer; returns its result code. */
export function applyTransfer(state: BatchState, t: NormalizedTransfer): CreateTransferResult {
  const stored = state.transfers.get(t.id);
  if (stored !== undefined) return compareTransfer(stored, t);
  if (
    hasFlag(t.flags, TRANSFER_FLAGS.post_pending) ||
    hasFlag(t.flags, TRANSFER_FLAGS.void_pending)
  ) {
    return resolvePending(state, t);
  }
  const debit = state.accounts.get(t.debit_account_id!);
  if (debit === undefined) return 'debit_account_not_found';
  const credit = state.accounts.get(t.credit_account_id!);
  if (credit === undefined) return 'credit_account_not_found';
  if (debit.currency !== credit.currency) return 'accounts_must_have_the_same_currency';
  const limit = checkLimits(debit, credit, t.amount);
  if (limit !== null) return limit;
  const pending = hasFlag(t.flags, TRANSFER_FLAGS.pending);
  adjust(state, debit, pending ? { debits_pending: t.amount } : { debits_posted: t.amount });
  adjust(state, credit, pending ? { credits_pending: t.amount } : { credits_posted: t.amount });
  const row = toRow(state, t, debit, credit, t.amount);
  const expires_at_ms = t.timeout_ms > 0n ? state.now_ms + t.timeout_ms : null;
  const pendingRow: PendingRow | null = pending
    ? {
        transfer_id: t.id,
        status: 'pending',
        expires_at_ms,
        resolved_by_id: null,
        resolved_at_ms: null,
      }
    : null;
  record(state, row, pendingRow);
  return 'ok';
}

function checkLimits(
  debit: AccountRow,
  credit: AccountRow,
  amount: bigint,
): CreateTransferResult | null {
  const debits = debit.debits_pending + debit.debits_posted + amount;
  const credits = credit.credits_pending + credit.credits_posted + amount;
  if (debits > BALANCE_MAX || credits > BALANCE_MAX) return 'overflows_balance';
  if (
    hasFlag(debit.flags, ACCOUNT_FLAGS.debits_must_not_exceed_credits) &&
    debits > debit.credits_posted
  ) {
    return 'exceeds_credits';
  }
  if (
    hasFlag(credit.flags, ACCOUNT_FLAGS.credits_must_not_exceed_debits) &&
    credits > credit.debits_posted
  ) {
    return 'exceeds_debits';
  }
  return null;
}

function resolvePending(state: BatchState, t: NormalizedTransfer): CreateTransferResult {
  const original = state.transfers.get(t.pending_id!);
  if (original === undefined) return 'pending_transfer_not_found';
  if (!hasFlag(original.flags, TRANSFER_FLAGS.pending)) return 'pending_transfer_not_pending';
  if (t.debit_account_id !== null && t.debit_account_id !== original.debit_account_id) {
    return 'pending_transfer_has_different_debit_account_id';
  }
  if (t.credit_account_id !== null && t.credit_account_id !== original.credit_account_id) {
    return 'pending_transfer_has_different_credit_account_id';
  }
  const pending = state.pendings.get(original.id);
  assert(pending !== undefined, `ledger: pending ${original.id} has no state row`);
  if (pending.status === 'posted') return 'pending_transfer_already_posted';
  if (pending.status === 'voided') return 'pending_transfer_already_voided';
  if (pending.status === 'expired') return 'pending_transfer_expired';
  assert(
    pending.status === 'pending',
    `ledger: pending ${original.id} has status ${pending.status}`,
  );
  const debit = state.accounts.get(original.debit_account_id);
  const credit = state.accounts.get(original.credit_account_id);
  assert(debit !== undefined && credit !== undefined, 'ledger: pending accounts not loaded');
  if (pending.expires_at_ms !== null && state.now_ms >= pending.expires_at_ms) {
    expirePending(state, { original, pending, debit, credit });
    return 'pending_transfer_expired';
  }
  const voiding = hasFlag(t.flags, TRANSFER_FLAGS.void_pending);
  if (voiding && t.amount !== 0n && t.amount !== original.amount) {
    return 'pending_transfer_has_different_amount';
  }
  const amount = voiding ? original.amount : t.amount;
  if (amount > original.amount && !hasFlag(t.flags, TRANSFER_FLAGS.overrun)) {
    return 'exceeds_pending_transfer_amount';
  }
  const posted = voiding ? 0n : amount;
  if (debit.debits_posted + posted > BALANCE_MAX || credit.credits_posted + posted > BALANCE_MAX) {
    return 'overflows_balance';
  }
  adjust(state, debit, { debits_pending: -original.amount, debits_posted: posted });
  adjust(state, credit, { credits_pending: -original.amount, credits_posted: posted });
  setPending(state, pending, {
    status: voiding ? 'voided' : 'posted',
    resolved_by_id: t.id,
    resolved_at_ms: state.now_ms,
  });
  record(state, toRow(state, t, debit, credit, amount), null);
  return 'ok';
}

/** Releases a pending transfer whose timeout has passed. */
export function expirePending(
  state: BatchState,
  parts: { original: TransferRow; pending: PendingRow; debit: AccountRow; credit: AccountRow },
): void {
  assert(parts.pending.status === 'pending', 'ledger: only a pending transfer can expire');
  adjust(state, parts.debit, { debits_pending: -parts.original.amount });
  adjust(state, parts.credit, { credits_pending: -parts.original.amount });
  setPending(state, parts.pending, {
    status: 'expired',
    resolved_by_id: null,
    resolved_at_ms: state.now_ms,
  });
}

function toRow(
  state: BatchState,
  t: NormalizedTransfer,
  debit: AccountRow,
  credit: AccountRow,
  amount: bigint,
): TransferRow {
  return {
    id: t.id,
    debit_account_id: debit.id,
    credit_account_id: credit.id,
    amount,
    pending_id: t.pending_id,
    flags: t.flags,
    timeout_ms: t.timeout_ms,
    code: t.code,
    reference: t.reference,
    currency: debit.currency,
    created_at_ms: state.now_ms,
  };
}
