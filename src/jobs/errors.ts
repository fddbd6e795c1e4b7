/** Codes of the jobs domain and the one constructor that raises them. */
import { DomainError } from '../shared/errors.ts';

export type JobErrorCode =
  | 'job_not_found'
  | 'concurrency_limit_reached'
  | 'job_not_cancellable'
  | 'avatar_not_found'
  | 'invalid_job_request'
  /** An action that needs a finished job (a proofread's subtitles) asked of one still running. */
  | 'job_not_ready'
  /** A synchronous job's render failed (its hold was voided: it cost nothing). */
  | 'render_failed';

export function jobError(code: JobErrorCode, message: string, param: string | null) {
  return new DomainError<JobErrorCode>(code, message, { param });
}
