/** Codes of the idempotency domain. */
export type IdempotencyErrorCode = 'idempotency_key_reused' | 'request_in_progress';
