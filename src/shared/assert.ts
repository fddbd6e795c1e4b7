/**
 * Invariant checks. A failed assertion is a bug, never an expected outcome: it throws an
 * `AssertionError`, which the HTTP edge renders as a 500 `internal_error` and logs with context.
 */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
