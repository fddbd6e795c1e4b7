/**
 * Billing pools: the independent places a job can be paid from. An API key spends the account's
 * prepaid USD wallet (`wallet`) or, on a postpaid account, accrues usage (`usage_based`); an
 * OAuth bearer token spends the web plan's credits (`web_plan`). Credits in one pool never apply
 * to another. Which pool pays is decided once, at admission, from the account's billing type and
 * the calling credential, and stored on the job so its settlement resolves the hold where it was
 * placed.
 */

export const BILLING_POOLS = ['wallet', 'web_plan', 'usage_based'] as const;
export type BillingPool = (typeof BILLING_POOLS)[number];

/** How an account's API keys pay (`accounts.billing_type`). */
export const ACCOUNT_BILLING_TYPES = ['wallet', 'usage_based'] as const;
export type AccountBillingType = (typeof ACCOUNT_BILLING_TYPES)[number];

/** The credential a request was made with; the CLI and internal callers have none. */
export type Credential =
  | { kind: 'api_key'; api_key_id: string }
  | { kind: 'oauth'; user_id: string; client_id: string };

export function isBillingPool(value: string): value is BillingPool {
  return (BILLING_POOLS as readonly string[]).includes(value);
}

export function isAccountBillingType(value: string): value is AccountBillingType {
  return (ACCOUNT_BILLING_TYPES as readonly string[]).includes(value);
}

/** The pool a job pays from: an OAuth credential's web plan, else the account's billing type. */
export function poolFor(billing_type: string, credential: Credential | null): BillingPool {
  if (credential?.kind === 'oauth') return 'web_plan';
  return billing_type === 'usage_based' ? 'usage_based' : 'wallet';
}

/** The API key a credential names, or null. */
export function apiKeyIdOf(credential: Credential | null): string | null {
  return credential?.kind === 'api_key' ? credential.api_key_id : null;
}
