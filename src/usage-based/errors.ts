/** Codes of the usage-based (postpaid) domain. */
export type UsageBasedErrorCode =
  /** A job's hold would take the period's spending past the account's cap (402). */
  | 'spending_cap_exceeded'
  /** A billing type, spending cap or time zone the operator set is not valid (400, with `param`). */
  | 'billing_settings_invalid'
  /** A statement period that is not a month `YYYY-MM` (400). */
  | 'statement_period_invalid'
  /** A statement with more charges than one response lists (`STATEMENT_CHARGES_MAX`). */
  | 'statement_too_large';
