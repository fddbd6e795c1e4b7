/** Codes of the engines domain. */
import { DomainError } from '../shared/errors.ts';

export type EngineErrorCode =
  /** A render-worker callback whose `Tollgate-Signature` does not verify, or is too old. */
  | 'engine_signature_invalid'
  /** A render-worker callback about no job of the `http` engine. */
  | 'engine_job_not_found'
  /** A render-worker callback whose body is not a callback (names the field). */
  | 'invalid_engine_callback'
  /** The http engine's callback endpoint on a gateway with no render farm configured. */
  | 'engine_not_configured';

export function engineError(code: EngineErrorCode, message: string, param: string | null = null) {
  return new DomainError<EngineErrorCode>(code, message, { param });
}
