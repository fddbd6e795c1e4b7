/** Codes of the wallet domain. */
export type WalletErrorCode =
  | 'insufficient_balance'
  | 'amount_invalid'
  | 'hold_not_found'
  | 'hold_already_resolved'
  | 'grant_terms_invalid'
  | 'grant_not_found'
  | 'refund_exceeds_charge';
