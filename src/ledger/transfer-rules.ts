/**
 * The checks on a transfer that need no database: field formats, flag combinations, amounts and
 * timeouts; and the comparison of a repeated transfer id with the stored transfer.
 */
import { AMOUNT_MICRO_USD_MAX } from '../shared/money.ts';
import {
  hasFlag,
  LEDGER_ID_PATTERN,
  REFERENCE_LENGTH_MAX,
  TRANSFER_FLAGS,
  TRANSFER_FLAGS_ALL,
} from './codes.ts';
import type { CreateTransferResult } from './errors.ts';
import type { TransferRow } from './ledger.table.ts';

export type TransferInput = {
  id: string;
  /** Required for single-phase and pending transfers; for post/void `null` inherits the pending's. */
  debit_account_id?: string | null;
  credit_account_id?: string | null;
  /** Post: the amount to charge. Void: 0 or the pending amount. */
  amount: bigint;
  pending_id?: string | null;
  flags?: bigint;
  /** Pending only: the pending expires this long after it is created; 0 never expires. */
  timeout_ms?: bigint;
  code: bigint;
  /** What the transfer is for (e.g. a job id); at most 128 characters. */
  reference?: string | null;
};

export type NormalizedTransfer = Required<TransferInput>;

export function normalizeTransfer(input: TransferInput): NormalizedTransfer {
  return {
    id: input.id,
    debit_account_id: input.debit_account_id ?? null,
    credit_account_id: input.credit_account_id ?? null,
    amount: input.amount,
    pending_id: input.pending_id ?? null,
    flags: input.flags ?? 0n,
    timeout_ms: input.timeout_ms ?? 0n,
    code: input.code,
    reference: input.reference ?? null,
  };
}

export function isResolving(flags: bigint): boolean {
  return hasFlag(flags, TRANSFER_FLAGS.post_pending) || hasFlag(flags, TRANSFER_FLAGS.void_pending);
}

function isValidId(id: unknown): boolean {
  return typeof id === 'string' && LEDGER_ID_PATTERN.test(id);
}

/** Returns the first rule a transfer breaks, or `null` when it may be applied. */
export function checkTransfer(
  t: NormalizedTransfer,
  timeout_ms_max: bigint,
): CreateTransferResult | null {
  if (!isValidId(t.id)) return 'id_invalid';
  if (typeof t.flags !== 'bigint' || t.flags < 0n || (t.flags & ~TRANSFER_FLAGS_ALL) !== 0n) {
    return 'flags_invalid';
  }
  const phases = [TRANSFER_FLAGS.pending, TRANSFER_FLAGS.post_pending, TRANSFER_FLAGS.void_pending];
  if (phases.filter((flag) => hasFlag(t.flags, flag)).length > 1) {
    return 'flags_are_mutually_exclusive';
  }
  const post = hasFlag(t.flags, TRANSFER_FLAGS.post_pending);
  const voiding = hasFlag(t.flags, TRANSFER_FLAGS.void_pending);
  if (hasFlag(t.flags, TRANSFER_FLAGS.overrun) && !post) return 'overrun_requires_post_pending';
  if (typeof t.amount !== 'bigint') return 'amount_must_be_positive';
  if (voiding ? t.amount < 0n : t.amount <= 0n) return 'amount_must_be_positive';
  if (t.amount > AMOUNT_MICRO_USD_MAX) return 'amount_exceeds_maximum';
  if (typeof t.code !== 'bigint' || t.code <= 0n || t.code > 65_535n) return 'code_invalid';
  if (
    t.reference !== null &&
    (typeof t.reference !== 'string' ||
      t.reference.length === 0 ||
      t.reference.length > REFERENCE_LENGTH_MAX)
  ) {
    return 'reference_invalid';
  }
  return post || voiding ? checkResolving(t) : checkOpening(t, timeout_ms_max);
}

function checkResolving(t: NormalizedTransfer): CreateTransferResult | null {
  if (t.pending_id === null) return 'pending_id_required';
  if (!isValidId(t.pending_id)) return 'pending_id_invalid';
  if (t.pending_id === t.id) return 'pending_id_must_be_different';
  if (t.debit_account_id !== null && !isValidId(t.debit_account_id))
    return 'debit_account_id_invalid';
  if (t.credit_account_id !== null && !isValidId(t.credit_account_id)) {
    return 'credit_account_id_invalid';
  }
  if (t.timeout_ms !== 0n) return 'timeout_reserved_for_pending_transfer';
  return null;
}

function checkOpening(t: NormalizedTransfer, timeout_ms_max: bigint): CreateTransferResult | null {
  if (t.pending_id !== null) return 'pending_id_must_be_absent';
  if (!isValidId(t.debit_account_id)) return 'debit_account_id_invalid';
  if (!isValidId(t.credit_account_id)) return 'credit_account_id_invalid';
  if (t.debit_account_id === t.credit_account_id) return 'accounts_must_be_different';
  if (typeof t.timeout_ms !== 'bigint' || t.timeout_ms < 0n || t.timeout_ms > timeout_ms_max) {
    return 'timeout_invalid';
  }
  if (t.timeout_ms !== 0n && !hasFlag(t.flags, TRANSFER_FLAGS.pending)) {
    return 'timeout_reserved_for_pending_transfer';
  }
  return null;
}

/** A repeated id: `exists` when the input asks for exactly the stored transfer. */
export function compareTransfer(stored: TransferRow, t: NormalizedTransfer): CreateTransferResult {
  if (t.debit_account_id !== null && stored.debit_account_id !== t.debit_account_id) {
    return 'exists_with_different_debit_account_id';
  }
  if (t.credit_account_id !== null && stored.credit_account_id !== t.credit_account_id) {
    return 'exists_with_different_credit_account_id';
  }
  const voidAnyAmount = hasFlag(t.flags, TRANSFER_FLAGS.void_pending) && t.amount === 0n;
  if (!voidAnyAmount && stored.amount !== t.amount) return 'exists_with_different_amount';
  if (stored.pending_id !== t.pending_id) return 'exists_with_different_pending_id';
  if (stored.flags !== t.flags) return 'exists_with_different_flags';
  if (stored.timeout_ms !== t.timeout_ms) return 'exists_with_different_timeout';
  if (stored.code !== t.code) return 'exists_with_different_code';
  if (stored.reference !== t.reference) return 'exists_with_different_reference';
  return 'exists';
}
