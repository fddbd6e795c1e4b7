/**
 * Ledger outcomes. Batch calls never throw for a bad item: each item gets a result code, as in
 * TigerBeetle. `ok` and `exists` mean the item is in the ledger as asked; every other code means
 * it was not applied and nothing of it was written.
 */

export type CreateAccountResult =
  | 'ok'
  | 'exists'
  | 'exists_with_different_currency'
  | 'exists_with_different_code'
  | 'exists_with_different_flags'
  | 'exists_with_different_owner_id'
  | 'id_invalid'
  | 'currency_invalid'
  | 'code_invalid'
  | 'flags_invalid'
  | 'flags_are_mutually_exclusive'
  | 'owner_id_invalid'
  | 'batch_too_large';

export type CreateTransferResult =
  | 'ok'
  | 'exists'
  | 'exists_with_different_debit_account_id'
  | 'exists_with_different_credit_account_id'
  | 'exists_with_different_amount'
  | 'exists_with_different_pending_id'
  | 'exists_with_different_flags'
  | 'exists_with_different_timeout'
  | 'exists_with_different_code'
  | 'exists_with_different_reference'
  | 'linked_event_failed'
  | 'linked_event_chain_open'
  | 'id_invalid'
  | 'flags_invalid'
  | 'flags_are_mutually_exclusive'
  | 'overrun_requires_post_pending'
  | 'amount_must_be_positive'
  | 'amount_exceeds_maximum'
  | 'code_invalid'
  | 'reference_invalid'
  | 'debit_account_id_invalid'
  | 'credit_account_id_invalid'
  | 'accounts_must_be_different'
  | 'debit_account_not_found'
  | 'credit_account_not_found'
  | 'accounts_must_have_the_same_currency'
  | 'pending_id_required'
  | 'pending_id_must_be_absent'
  | 'pending_id_invalid'
  | 'pending_id_must_be_different'
  | 'timeout_reserved_for_pending_transfer'
  | 'timeout_invalid'
  | 'pending_transfer_not_found'
  | 'pending_transfer_not_pending'
  | 'pending_transfer_has_different_debit_account_id'
  | 'pending_transfer_has_different_credit_account_id'
  | 'pending_transfer_has_different_amount'
  | 'pending_transfer_already_posted'
  | 'pending_transfer_already_voided'
  | 'pending_transfer_expired'
  | 'exceeds_pending_transfer_amount'
  | 'exceeds_credits'
  | 'exceeds_debits'
  | 'overflows_balance'
  | 'batch_too_large';

/** Codes for ledger failures raised as `DomainError` (single-item helpers, not batches). */
export type LedgerErrorCode = 'ledger_transfer_failed' | 'ledger_account_failed';

/** True when the item is in the ledger exactly as asked (new or an idempotent repeat). */
export function isApplied(result: CreateTransferResult | CreateAccountResult): boolean {
  return result === 'ok' || result === 'exists';
}
