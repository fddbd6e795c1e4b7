/**
 * Reading top-ups: one by id and an account's list, newest first with keyset pages. Only the
 * owning account sees a top-up (another account's id is `top_up_not_found`).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import type { PageCursor } from '../shared/page-token.ts';
import type { PaymentErrorCode } from './errors.ts';
import type { TopUpRow } from './payments.table.ts';

/** Largest page a caller may ask for (the HTTP edge caps lower, at `page_size_max`). */
const TOP_UP_PAGE_SIZE_MAX = 1_000;

export async function getTopUp(
  db: Kysely<DB>,
  ref: { account_id: string; top_up_id: string },
): Promise<TopUpRow> {
  const row = await db
    .selectFrom('top_ups')
    .selectAll()
    .where('id', '=', ref.top_up_id)
    .where('account_id', '=', ref.account_id)
    .executeTakeFirst();
  if (row === undefined) {
    throw new DomainError<PaymentErrorCode>('top_up_not_found', 'No such top-up.', {
      param: 'top_up_id',
    });
  }
  return row;
}

/** One page of an account's top-ups, newest first, as `limit + 1` rows (more follow if so). */
export async function listTopUps(
  db: Kysely<DB>,
  page: { account_id: string; limit: number; after: PageCursor | null },
): Promise<TopUpRow[]> {
  assert(page.limit >= 1 && page.limit <= TOP_UP_PAGE_SIZE_MAX, 'top-up page limit in range');
  let query = db.selectFrom('top_ups').selectAll().where('account_id', '=', page.account_id);
  if (page.after !== null) query = query.where(olderThanCursor(page.after));
  return query
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
