/**
 * A wallet's history: every ledger transfer that touched the customer's wallet accounts, newest
 * first, each named by what it did (grant, hold, settlement, release, refund, write-off: the
 * part of an overrun beyond the overdraft limit, credited back with the job id as reference). The ledger is the
 * source; nothing here is stored separately. An expired hold has no transfer of its own: its
 * hold entry carries `hold_status: "expired"` (the pending transfer's state).
 */
import type { Kysely } from 'kysely';
import { getAccount } from '../accounts/accounts.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { hasFlag, TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import { assert } from '../shared/assert.ts';
import type { PageCursor } from '../shared/page-token.ts';
import { WALLET_KINDS, type WalletKind, walletAccountId } from './wallet-accounts.ts';

/** Largest page a caller may ask for (the HTTP edge caps lower, at `page_size_max`). */
const HISTORY_PAGE_SIZE_MAX = 1_000;

export type WalletEntryKind =
  | 'grant'
  | 'hold'
  | 'settlement'
  | 'release'
  | 'refund'
  | 'write_off'
  | 'other';

export type WalletEntry = {
  /** The ledger transfer id. */
  id: string;
  kind: WalletEntryKind;
  /** Which part of the wallet moved: free credit or paid top-ups. */
  wallet_part: WalletKind;
  /** `credit` adds to the wallet, `debit` takes from it (a hold only reserves). */
  direction: 'credit' | 'debit';
  /** Grant: credited. Hold: reserved. Settlement: charged. Release: released. */
  amount_micro_usd: bigint;
  /** Settlement: the part of the hold released with it (0 when the whole hold was charged). */
  released_micro_usd: bigint | null;
  /** Hold: pending, posted, voided or expired. */
  hold_status: string | null;
  /** The job id for holds, settlements, releases and write-offs; the grant id for grants. */
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
  const walletIds = WALLET_KINDS.map((kind) => walletAccountId(page.account_id, kind));
  let query = ctx.db
    .selectFrom('ledger_transfers as t')
    .leftJoin('ledger_transfers as opening', 'opening.id', 't.pending_id')
    .leftJoin('ledger_pending as p', 'p.transfer_id', 't.id')
    .leftJoin('jobs as j', 'j.id', 't.reference')
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
  return rows.map((row) => toEntry(row, walletIds));
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
};

function toEntry(row: HistoryRow, walletIds: string[]): WalletEntry {
  const credited = walletIds.includes(row.credit_account_id);
  const walletId = credited ? row.credit_account_id : row.debit_account_id;
  const wallet_part = WALLET_KINDS.find((_, index) => walletIds[index] === walletId);
  assert(wallet_part !== undefined, `transfer ${row.id} touches the wallet`);
  const kind = kindOf(row);
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
    direction: credited ? 'credit' : 'debit',
    amount_micro_usd: row.amount,
    released_micro_usd: released,
    hold_status: kind === 'hold' ? row.pending_status : null,
    reference: row.reference,
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
  return 'other';
}
