/**
 * The operator's write-off report: every amount a settlement could not collect because the
 * wallet reached minus its account's overdraft limit (`holds.ts`), newest first, each with the
 * customer account and the job. Read from the ledger (transfers with the `write_off` code, which
 * credit the customer's wallet from the operator's write-off account); nothing stored apart.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { assert } from '../shared/assert.ts';
import type { PageCursor } from '../shared/page-token.ts';

/** Largest page a caller may ask for (the HTTP edge caps lower, at `page_size_max`). */
const WRITE_OFF_PAGE_SIZE_MAX = 1_000;

export type WriteOff = {
  /** The ledger transfer id. */
  id: string;
  account_id: string;
  /** The job whose price was not collected in full. */
  job_id: string | null;
  amount_micro_usd: bigint;
  created_at_ms: bigint;
};

/** One page of write-offs, newest first, as `limit + 1` rows (another page follows if more). */
export async function listWriteOffs(
  db: Kysely<DB>,
  page: { limit: number; after: PageCursor | null },
): Promise<WriteOff[]> {
  assert(page.limit >= 1 && page.limit <= WRITE_OFF_PAGE_SIZE_MAX, 'write-off page limit in range');
  let query = db
    .selectFrom('ledger_transfers as t')
    .innerJoin('ledger_accounts as wallet', 'wallet.id', 't.credit_account_id')
    .select([
      't.id',
      'wallet.owner_id as account_id',
      't.reference as job_id',
      't.amount as amount_micro_usd',
      't.created_at_ms',
    ])
    .where('t.code', '=', TRANSFER_CODES.write_off);
  if (page.after !== null) query = query.where(olderThanCursor(page.after, 't'));
  const rows = await query
    .orderBy('t.created_at_ms', 'desc')
    .orderBy('t.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map((row) => {
    assert(row.account_id !== null, `write-off ${row.id} credits a customer's wallet`);
    return { ...row, account_id: row.account_id };
  });
}
