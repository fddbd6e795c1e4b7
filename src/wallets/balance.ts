/**
 * A wallet's balance, read from its ledger accounts (`wallet-parts.ts`). `available` is what
 * admission compares a hold against: the sum over the wallet's open accounts of posted balance
 * minus held amounts, where the free part of a grant past its expiry counts as gone even before
 * the sweep has expired it, and the debt account (a debit beyond the grants) counts as negative.
 * It is negative only after an overrun or such a debit, and then no new job is admitted until the
 * wallet is funded. The all-time totals (`settled`, `granted`) also count closed grants.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { prepareQuery } from '../db/prepared.ts';
import { ACCOUNT_CODES } from '../ledger/codes.ts';
import { assert } from '../shared/assert.ts';
import type { WalletKind } from './wallet-accounts.ts';
import { availableOf, readWallet, spendableOf, type WalletPart } from './wallet-parts.ts';

const WALLET_TOTALS = prepareQuery((db, _dialect, p: { account_id: string }) =>
  db
    .selectFrom('ledger_accounts')
    .select((eb) => [
      eb.fn.sum<bigint | string | number | null>('credits_posted').as('granted'),
      eb.fn.sum<bigint | string | number | null>('debits_posted').as('settled'),
    ])
    .where('owner_id', '=', p.account_id)
    .where('code', '=', ACCOUNT_CODES.customer_wallet),
);

export { availableOf } from './wallet-parts.ts';

export type WalletBalance = {
  /** Posted balance minus holds (minus expired free credit): what new jobs can spend. */
  available_micro_usd: bigint;
  /** Credits minus debits posted, ignoring holds. */
  posted_micro_usd: bigint;
  /** Reserved by jobs in flight. */
  held_micro_usd: bigint;
  /**
   * Everything posted out of the wallet, all time: charges for finished jobs, and also expired,
   * revoked and debited amounts (the history names each).
   */
  settled_micro_usd: bigint;
  /** Everything credited to the wallet, all time: grants, refunds, write-offs. */
  granted_micro_usd: bigint;
  /** Available per kind; a debt counts against `paid`. */
  available_by_kind_micro_usd: Record<WalletKind, bigint>;
};

export type WalletSummary = Omit<WalletBalance, 'settled_micro_usd' | 'granted_micro_usd'>;

/**
 * Sums a wallet's open parts. With `now_ms`, a grant past its expiry adds nothing free; without,
 * the ledger's balances are summed as they stand.
 */
export function summarizeWallet(
  parts: readonly WalletPart[],
  now_ms: bigint | null,
): WalletSummary {
  let posted = 0n;
  let held = 0n;
  const byKind: Record<WalletKind, bigint> = { promotional: 0n, paid: 0n };
  for (const part of parts) {
    posted += part.row.credits_posted - part.row.debits_posted;
    held += part.row.debits_pending;
    byKind[part.kind ?? 'paid'] +=
      now_ms === null ? availableOf(part.row) : spendableOf(part, now_ms);
  }
  return {
    available_micro_usd: byKind.promotional + byKind.paid,
    posted_micro_usd: posted,
    held_micro_usd: held,
    available_by_kind_micro_usd: byKind,
  };
}

/**
 * Reads a wallet's balance; works in or out of a transaction. Pass the clock's `now_ms` so a grant
 * past its expiry counts as expired (every caller showing a balance to someone should).
 */
export async function getWalletBalance(
  db: Kysely<DB>,
  account_id: string,
  now_ms: bigint | null = null,
): Promise<WalletBalance> {
  const wallet = await readWallet(db, account_id);
  const totals = await WALLET_TOTALS.first(db, { account_id });
  assert(totals !== undefined, 'an aggregate returns one row');
  return {
    ...summarizeWallet(wallet.parts, now_ms),
    settled_micro_usd: BigInt(totals.settled ?? 0),
    granted_micro_usd: BigInt(totals.granted ?? 0),
  };
}
