/**
 * The grant expiry sweep, a step of the job worker's tick. A grant past its `expires_at_ms`
 * loses what it has free: one ledger transfer per grant from its account into the operator's
 * `operator:expired:usd_micro`, with the grant id as reference, and a `grant.expired` event with
 * the amount. What is held stays (the job in flight keeps its reservation); what a later
 * settlement or release returns to the grant expires on a later tick. A grant at zero with nothing
 * held is closed. Bounded per call; safe with several nodes: the grants' ledger accounts are
 * locked with `FOR UPDATE SKIP LOCKED` in id order (step 3 of `ledger/locks.ts`; a grant locked
 * by a job or another sweep is left for the next tick) and the free amount is read under that
 * lock, so no cent expires twice. Transfer ids derive from the grant and its posted debits, so
 * they are unique per expiry.
 */
import { sql } from 'kysely';
import type { TxContext } from '../context.ts';
import { lockRowsSkipLocked, whereIdIn } from '../db/dialect.ts';
import { recordEvent } from '../events/events.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { expiredAccountId } from '../ledger/operator-accounts.ts';
import { createTransfers, type TransferInput } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { formatMicroUsd } from '../shared/money.ts';
import { closeSpentGrants } from './grant-closing.ts';
import { availableOf } from './wallet-parts.ts';

export type ExpiredGrant = { grant_id: string; account_id: string; amount_micro_usd: bigint };

/**
 * Expires the free part of at most `limit` due grants (those with something free, or at zero
 * with nothing held, which are just closed) and returns the amounts expired.
 */
export async function expireGrants(
  tx: TxContext,
  options: { limit: number },
): Promise<ExpiredGrant[]> {
  const now_ms = tx.clock.now_ms();
  const due = await tx.db
    .selectFrom('grants as g')
    .innerJoin('ledger_accounts as a', 'a.id', 'g.ledger_account_id')
    .select(['g.id', 'g.account_id', 'g.kind', 'g.expires_at_ms', 'g.ledger_account_id'])
    .where('g.closed_at_ms', 'is', null)
    .where('g.expires_at_ms', 'is not', null)
    .where('g.expires_at_ms', '<=', now_ms)
    .where(
      sql<boolean>`(a.credits_posted - a.debits_posted - a.debits_pending > 0
        or (a.credits_posted = a.debits_posted and a.debits_pending = 0))`,
    )
    .orderBy('g.expires_at_ms')
    .orderBy('g.id')
    .limit(options.limit)
    .execute();
  if (due.length === 0) return [];
  const lockQuery = tx.db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where(
      whereIdIn(
        tx.dialect,
        'id',
        due.map((g) => g.ledger_account_id),
      ),
    )
    .orderBy('id');
  const locked = new Map(
    (await lockRowsSkipLocked(tx.dialect, lockQuery).execute()).map((row) => [row.id, row]),
  );
  const transfers: TransferInput[] = [];
  const expired: ExpiredGrant[] = [];
  for (const grant of due) {
    const row = locked.get(grant.ledger_account_id);
    if (row === undefined) continue;
    const free = availableOf(row);
    if (free <= 0n) continue;
    transfers.push({
      id: `${grant.id}:expire:${row.debits_posted}`,
      debit_account_id: row.id,
      credit_account_id: expiredAccountId('usd_micro'),
      amount: free,
      code: TRANSFER_CODES.grant_expired,
      reference: grant.id,
    });
    expired.push({ grant_id: grant.id, account_id: grant.account_id, amount_micro_usd: free });
  }
  const results = await createTransfers(tx, transfers);
  assert(
    results.every((r) => r === 'ok'),
    `grant expiry failed under the lock: ${results.join(',')}`,
  );
  for (const item of expired) {
    const grant = due.find((g) => g.id === item.grant_id)!;
    await recordEvent(tx, {
      type: 'grant.expired',
      account_id: item.account_id,
      payload: {
        grant_id: item.grant_id,
        kind: grant.kind,
        amount_micro_usd: item.amount_micro_usd,
        amount_usd: formatMicroUsd(item.amount_micro_usd),
        expires_at_ms: grant.expires_at_ms,
      },
    });
  }
  await closeSpentGrants(tx, [...locked.keys()]);
  return expired;
}
