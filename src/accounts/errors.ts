/** Codes of the customer-account domain. */
export type AccountErrorCode =
  | 'account_not_found'
  | 'username_taken'
  | 'api_key_not_found'
  | 'api_key_revoked'
  | 'invalid_api_key';
