/**
 * A wallet's balance, read from its ledger accounts. `available` is what admission compares a
 * hold against: posted balance minus held amounts, summed over the promotional and paid parts.
 * It is negative only after an overrun, and then no new job is admitted until the wallet is funded.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { lookupAccounts } from '../ledger/accounts.ts';
import type { AccountRow } from '../ledger/ledger.table.ts';
import { assert } from '../shared/assert.ts';
import { WALLET_KINDS, type WalletKind, walletAccountId } from './wallet-accounts.ts';

export type WalletBalance = {
  /** Posted balance minus holds: what new jobs can spend. */
  available_micro_usd: bigint;
  /** Credits minus settled charges, ignoring holds. */
  posted_micro_usd: bigint;
  /** Reserved by jobs in flight. */
  held_micro_usd: bigint;
  /** Charged for finished jobs, all time. */
  settled_micro_usd: bigint;
  /** Granted (paid and promotional), all time. */
  granted_micro_usd: bigint;
  available_by_kind_micro_usd: Record<WalletKind, bigint>;
};

export function availableOf(row: AccountRow): bigint {
  return row.credits_posted - row.debits_posted - row.debits_pending;
}

export function toWalletBalance(rows: Record<WalletKind, AccountRow>): WalletBalance {
  const sum = (pick: (row: AccountRow) => bigint) =>
    WALLET_KINDS.reduce((total, kind) => total + pick(rows[kind]), 0n);
  return {
    available_micro_usd: sum(availableOf),
    posted_micro_usd: sum((row) => row.credits_posted - row.debits_posted),
    held_micro_usd: sum((row) => row.debits_pending),
    settled_micro_usd: sum((row) => row.debits_posted),
    granted_micro_usd: sum((row) => row.credits_posted),
    available_by_kind_micro_usd: {
      promotional: availableOf(rows.promotional),
      paid: availableOf(rows.paid),
    },
  };
}

/** Reads a wallet's balance; works in or out of a transaction. */
export async function getWalletBalance(db: Kysely<DB>, account_id: string): Promise<WalletBalance> {
  const ids = WALLET_KINDS.map((kind) => walletAccountId(account_id, kind));
  const found = await lookupAccounts(db, ids);
  const promotional = found.get(ids[0]!);
  const paid = found.get(ids[1]!);
  assert(promotional !== undefined && paid !== undefined, `wallet of ${account_id} is missing`);
  return toWalletBalance({ promotional, paid });
}
