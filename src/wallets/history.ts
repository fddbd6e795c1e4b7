/**
 * A wallet's history: every ledger transfer that touched any of the customer's wallet accounts
 * (its grants, pools and debt account, found by owner), newest first, each named by what it did:
 * grant, hold, settlement, release, refund (a new grant credited from revenue), write-off (the
 * part of an overrun beyond the overdraft limit, credited back with the job id as reference),
 * expiry (a grant's unspent part at its expiry), revocation and debit. The ledger is the source
 * of every amount; the memo and operator come from the grant (`grants`) or the adjustment
 * (`wallet_adjustments`) the transfer's reference names. An expired hold has no transfer of its
 * own: its hold entry carries `hold_status: "expired"` (the pending transfer's state).
 */
import type { Kysely } from 'kysely';
import { getAccount } from '../accounts/accounts.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { ACCOUNT_CODES, hasFlag, TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import { assert } from '../shared/assert.ts';
import type { PageCursor } from '../shared/page-token.ts';
import { kindOfWalletAccount, type WalletKind } from './wallet-accounts.ts';

/** Largest page a caller may ask for (the HTTP edge caps lower, at `page_size_max`). */
const HISTORY_PAGE_SIZE_MAX = 1_000;

export type WalletEntryKind =
  | 'grant'
  | 'hold'
  | 'settlement'
  | 'release'
  | 'refund'
  | 'write_off'
  | 'expiry'
  | 'revocation'
  | 'debit'
  | 'other';

export type WalletEntry = {
  /** The ledger transfer id. */
  id: string;
  kind: WalletEntryKind;
  /** Which part of the wallet moved: free credit, paid money, or the debt account. */
  wallet_part: WalletKind | 'debt';
  /** The grant whose money moved, when the entry names one (grant, expiry, revocation, refund). */
  grant_id: string | null;
  /** The grant's or the adjustment's memo. */
  memo: string | null;
  /** Who made an operator adjustment. */
  operator: string | null;
  /** `credit` adds to the wallet, `debit` takes from it (a hold only reserves). */
  direction: 'credit' | 'debit';
  /** Grant: credited. Hold: reserved. Settlement: charged. Release: released. */
  amount_micro_usd: bigint;
  /** Settlement: the part of the hold released with it (0 when the whole hold was charged). */
  released_micro_usd: bigint | null;
  /** Hold: pending, posted, voided or expired. */
  hold_status: string | null;
  /**
   * The job id for holds, settlements, releases, write-offs and refunds; the grant id for grants,
   * expiries and revocations; a debit's own reference (e.g. a top-up id).
   */
  reference: string | null;
  /** The pricing product of the job a hold, settlement or release is for (`lipsync`, …). */
  product: string | null;
  created_at_ms: bigint;
};

export type HistoryPage = {
  account_id: string;
  limit: number;
  /** The last entry of the previous page. */
  after: PageCursor | null;
};

/**
 * One page of an account's wallet history, newest first, as `limit + 1` entries so callers can
 * tell whether another page follows. `account_not_found` if the account is unknown.
 */
export async function listWalletHistory(
  ctx: { db: Kysely<DB>; config: Config },
  page: HistoryPage,
): Promise<WalletEntry[]> {
  assert(page.limit >= 1 && page.limit <= HISTORY_PAGE_SIZE_MAX, 'history page limit in range');
  await getAccount(ctx, page.account_id);
  const walletIds = ctx.db
    .selectFrom('ledger_accounts')
    .select('id')
    .where('owner_id', '=', page.account_id)
    .where('code', '=', ACCOUNT_CODES.customer_wallet);
  let query = ctx.db
    .selectFrom('ledger_transfers as t')
    .leftJoin('ledger_transfers as opening', 'opening.id', 't.pending_id')
    .leftJoin('ledger_pending as p', 'p.transfer_id', 't.id')
    .leftJoin('grants as g', 'g.id', 't.reference')
    .leftJoin('wallet_adjustments as a', 'a.id', 't.reference')
    .leftJoin('jobs as j', (join) =>
      join.on((eb) => eb('j.id', '=', eb.fn.coalesce('a.reference', 't.reference'))),
    )
    .select([
      't.id',
      't.debit_account_id',
      't.credit_account_id',
      't.amount',
      't.flags',
      't.code',
      't.reference',
      't.created_at_ms',
      'opening.amount as opening_amount',
      'p.status as pending_status',
      'j.product as product',
      'g.id as grant_id',
      'g.memo as grant_memo',
      'a.id as adjustment_id',
      'a.memo as adjustment_memo',
      'a.reference as adjustment_reference',
      'a.operator as operator',
      'a.grant_id as adjustment_grant_id',
    ])
    .where((eb) =>
      eb.or([
        eb('t.debit_account_id', 'in', walletIds),
        eb('t.credit_account_id', 'in', walletIds),
      ]),
    );
  const after = page.after;
  if (after !== null) {
    query = query.where(olderThanCursor(after, 't'));
  }
  const rows = await query
    .orderBy('t.created_at_ms', 'desc')
    .orderBy('t.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map((row) => toEntry(row, page.account_id));
}

type HistoryRow = {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: bigint;
  flags: bigint;
  code: bigint;
  reference: string | null;
  created_at_ms: bigint;
  opening_amount: bigint | null;
  pending_status: string | null;
  product: string | null;
  grant_id: string | null;
  grant_memo: string | null;
  adjustment_id: string | null;
  adjustment_memo: string | null;
  adjustment_reference: string | null;
  operator: string | null;
  adjustment_grant_id: string | null;
};

function isWalletAccount(ledger_account_id: string, account_id: string): boolean {
  return ledger_account_id.startsWith(`wallet:${account_id}:`);
}

function toEntry(row: HistoryRow, account_id: string): WalletEntry {
  const credited = isWalletAccount(row.credit_account_id, account_id);
  const walletId = credited ? row.credit_account_id : row.debit_account_id;
  assert(isWalletAccount(walletId, account_id), `transfer ${row.id} touches the wallet`);
  const wallet_part = kindOfWalletAccount(walletId) ?? 'debt';
  const kind = kindOf(row);
  const adjusted = row.adjustment_id !== null;
  const released =
    kind === 'settlement' && row.opening_amount !== null && row.opening_amount > row.amount
      ? row.opening_amount - row.amount
      : kind === 'settlement'
        ? 0n
        : null;
  return {
    id: row.id,
    kind,
    wallet_part,
    grant_id: row.grant_id ?? row.adjustment_grant_id,
    memo: row.grant_memo ?? row.adjustment_memo,
    operator: row.operator,
    direction: credited ? 'credit' : 'debit',
    amount_micro_usd: row.amount,
    released_micro_usd: released,
    hold_status: kind === 'hold' ? row.pending_status : null,
    reference: adjusted ? row.adjustment_reference : row.reference,
    product: row.product,
    created_at_ms: row.created_at_ms,
  };
}

function kindOf(row: HistoryRow): WalletEntryKind {
  if (hasFlag(row.flags, TRANSFER_FLAGS.pending)) return 'hold';
  if (hasFlag(row.flags, TRANSFER_FLAGS.post_pending)) return 'settlement';
  if (hasFlag(row.flags, TRANSFER_FLAGS.void_pending)) return 'release';
  if (row.code === TRANSFER_CODES.grant_paid || row.code === TRANSFER_CODES.grant_promotional) {
    return 'grant';
  }
  if (row.code === TRANSFER_CODES.refund) return 'refund';
  if (row.code === TRANSFER_CODES.write_off) return 'write_off';
  if (row.code === TRANSFER_CODES.grant_expired) return 'expiry';
  if (row.code === TRANSFER_CODES.grant_revoked) return 'revocation';
  if (row.code === TRANSFER_CODES.wallet_debit) return 'debit';
  return 'other';
}
