/**
 * The terms of a grant: its kind (`paid` money or `promotional` credit), its source, its priority
 * and its optional expiry, with the defaults and bounds every caller (top-ups, auto-reload, the
 * operator) shares. Validation here names the request field a bad value came from.
 */
import { DomainError } from '../shared/errors.ts';
import type { WalletErrorCode } from './errors.ts';

export const GRANT_KINDS = ['paid', 'promotional'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

/** Where a grant's money came from. */
export const GRANT_SOURCES = ['payment', 'operator', 'auto_reload', 'promotion'] as const;
export type GrantSource = (typeof GRANT_SOURCES)[number];

export const GRANT_SOURCE_DEFAULT: GrantSource = 'operator';
export const GRANT_PRIORITY_DEFAULT = 0;
/** Bounds of a grant's priority; higher is drawn first. */
export const GRANT_PRIORITY_MIN = -1_000_000;
export const GRANT_PRIORITY_MAX = 1_000_000;
/**
 * The priority of a wallet's two pools (the per-kind accounts that held all its money before
 * grants had terms): below any grant's, so a pool is drawn last within its kind.
 */
export const POOL_PRIORITY = -2_147_483_648n;

export function checkPriority(priority: number, param = 'priority'): void {
  if (
    !Number.isSafeInteger(priority) ||
    priority < GRANT_PRIORITY_MIN ||
    priority > GRANT_PRIORITY_MAX
  ) {
    throw new DomainError<WalletErrorCode>(
      'grant_terms_invalid',
      `Priority must be an integer from ${GRANT_PRIORITY_MIN} to ${GRANT_PRIORITY_MAX}.`,
      { param },
    );
  }
}

/** An expiry must lie in the future of `now_ms` (a grant that is expired at birth is a mistake). */
export function checkExpiry(
  expires_at_ms: bigint | null,
  now_ms: bigint,
  param = 'expires_at',
): void {
  if (expires_at_ms !== null && expires_at_ms <= now_ms) {
    throw new DomainError<WalletErrorCode>(
      'grant_terms_invalid',
      'A grant must expire in the future.',
      { param },
    );
  }
}
