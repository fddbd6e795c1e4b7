/** Codes of the wallet domain. */
export type WalletErrorCode =
  | 'insufficient_balance'
  | 'amount_invalid'
  | 'hold_not_found'
  | 'hold_already_resolved';
