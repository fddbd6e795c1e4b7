/** Codes of per-API-key spending limits. */
export type KeyLimitErrorCode =
  /** A job's hold would take the key's spending in its window past its limit (402). */
  | 'api_key_spending_limit_exceeded'
  /** A limit the operator set is not valid (400, naming the field). */
  | 'spending_limit_invalid';
