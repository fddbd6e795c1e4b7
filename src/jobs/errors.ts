/** Codes of the jobs domain. */
export type JobErrorCode =
  | 'job_not_found'
  | 'concurrency_limit_reached'
  | 'job_not_cancellable'
  | 'avatar_not_found'
  | 'invalid_job_request';
