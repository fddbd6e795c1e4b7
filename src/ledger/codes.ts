/**
 * The ledger's vocabulary: currencies, account and transfer flags (bit sets, as in TigerBeetle),
 * and the id format. Flags are bigints because every stored integer arrives as one.
 */

export const CURRENCIES = ['usd_micro', 'credit_milli'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const ACCOUNT_FLAGS = {
  /** debits_pending + debits_posted may never exceed credits_posted (a no-overdraft wallet). */
  debits_must_not_exceed_credits: 1n,
  /** credits_pending + credits_posted may never exceed debits_posted. */
  credits_must_not_exceed_debits: 2n,
} as const;
export const ACCOUNT_FLAGS_ALL = 3n;

export const TRANSFER_FLAGS = {
  /** This transfer and the next one succeed or fail together (chains end at an unlinked one). */
  linked: 1n,
  /** Reserves the amount: debits_pending / credits_pending, resolved later by a post or void. */
  pending: 2n,
  /** Resolves `pending_id`: posts `amount` (at most the pending amount) and releases the rest. */
  post_pending: 4n,
  /** Resolves `pending_id`: releases the whole pending amount. */
  void_pending: 8n,
  /**
   * With post_pending only: the posted amount may exceed the pending amount, and the excess is
   * charged without a balance check. The only way a no-overdraft account goes below zero.
   */
  overrun: 16n,
} as const;
export const TRANSFER_FLAGS_ALL = 31n;

export function hasFlag(flags: bigint, flag: bigint): boolean {
  return (flags & flag) === flag;
}

/** Account and transfer ids: 1–128 characters of `[A-Za-z0-9_:.-]`, chosen by the caller. */
export const LEDGER_ID_PATTERN = /^[A-Za-z0-9_:.-]{1,128}$/;
export const REFERENCE_LENGTH_MAX = 128;
/** Largest value a balance column may reach (int64). */
export const BALANCE_MAX = 2n ** 63n - 1n;

/** What an account is for (the `code` column). */
export const ACCOUNT_CODES = {
  customer_wallet: 1n,
  customer_credits: 2n,
  revenue: 10n,
  cash: 11n,
  promotions: 12n,
  write_off: 13n,
  /** Where the unspent part of expired grants goes. */
  expired: 14n,
  /** Where debits and revocations of a wallet go (money the operator no longer owes). */
  adjustments: 15n,
  /** Accounts made by tests and benchmarks. */
  test: 99n,
} as const;

/** Why a transfer moved money (the `code` column). */
export const TRANSFER_CODES = {
  hold: 1n,
  settle: 2n,
  release: 3n,
  grant_paid: 10n,
  grant_promotional: 11n,
  refund: 12n,
  /** The part of a job's price the customer's overdraft limit left uncollected. */
  write_off: 13n,
  /** The unspent part of a grant, taken at its expiry (`wallets/grant-expiry.ts`). */
  grant_expired: 14n,
  /** The unspent part of a grant, revoked by an operator. */
  grant_revoked: 15n,
  /** Money taken out of a wallet: a payment refunded or disputed, an operator's debit. */
  wallet_debit: 16n,
  /** A web plan's premium-credit allowance for a cycle (`plans/`, `credit_milli`). */
  credits_allowance: 20n,
  /** An add-on credit pack (`plans/credit-packs.ts`). */
  credits_add_on: 21n,
  /** The unused premium credits of a cycle that ended (`plans/cycle-reset.ts`). */
  credits_expired: 22n,
  test: 99n,
} as const;
