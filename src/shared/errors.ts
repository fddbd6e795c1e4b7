/**
 * The one error class of the domain. `code` is a snake_case phrase from the owning domain's
 * `errors.ts`; `message` is safe to show clients; `details` carries structured facts (such as
 * required and available amounts) and `param` names the offending input field when there is one.
 * `cause` is internal only and never rendered.
 */

export type DomainErrorOptions = {
  param?: string | null;
  details?: Record<string, unknown>;
  cause?: unknown;
};

export class DomainError<Code extends string = string> extends Error {
  override name = 'DomainError';
  readonly code: Code;
  readonly param: string | null;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: Code, message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.param = options.param ?? null;
    this.details = options.details;
  }
}
