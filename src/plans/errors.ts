/** Codes of the web-plans domain and the one constructor that raises them. */
import { DomainError } from '../shared/errors.ts';

export type PlanErrorCode =
  /** The web plan's premium and add-on credits together do not cover a job's hold. */
  | 'insufficient_credits'
  /** An OAuth credential's account has no web plan to bill. */
  | 'web_plan_required'
  | 'plan_not_found'
  /** A plan definition, a subscription change or a credit pack that breaks a rule. */
  | 'plan_rejected'
  /** A credit rate card that breaks a rule (the `param` names the field). */
  | 'credit_rate_card_rejected'
  | 'credit_rate_card_version_taken'
  /** The credit rate card in effect has no row for a job's product. */
  | 'credits_not_offered'
  /** A credit hold resolved one way (settled) and asked to resolve another (released). */
  | 'credit_hold_already_resolved';

export function planError(
  code: PlanErrorCode,
  message: string,
  options: { param?: string | null; details?: Record<string, unknown> } = {},
) {
  return new DomainError<PlanErrorCode>(code, message, options);
}
