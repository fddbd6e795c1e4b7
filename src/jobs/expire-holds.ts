/**
 * The sweep of due holds. A hold that nobody settled within `hold_ttl_ms` expires on its own
 * (the ledger releases it), and its job, if still in flight, moves to its kind's `failed` with
 * `hold_expired` and costs nothing, in the same transaction. After a crash or restart this is
 * what guarantees that no hold stays pending and no paid job stays in flight forever. Bounded per
 * call.
 */
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { expirePendingTransfers } from '../ledger/expire.ts';
import { IN_FLIGHT_STATUSES } from './lifecycle.ts';
import { failJob, HOLD_EXPIRED_FAILURE } from './settle.ts';

/** Expires at most `limit` due pending transfers; returns how many jobs it failed. */
export async function expireJobHolds(tx: TxContext, options: { limit: number }): Promise<number> {
  const expired = await expirePendingTransfers(tx, {
    limit: options.limit,
    // The lock order (ledger/locks.ts): the jobs rows before any ledger row.
    lock_references_first: (jobIds) => lockJobRows(tx, jobIds),
  });
  // A hold has one or two parts, each carrying the job id as its reference.
  const jobIds = [...new Set(expired.flatMap((transfer) => transfer.reference ?? []))];
  if (jobIds.length === 0) return 0;
  const jobs = await tx.db
    .selectFrom('jobs')
    .select(['id', 'kind', 'status'])
    .where('id', 'in', jobIds)
    .where('status', 'in', IN_FLIGHT_STATUSES)
    .execute();
  let failed = 0;
  for (const job of jobs) {
    if (await failJob(tx, job, HOLD_EXPIRED_FAILURE)) failed++;
  }
  return failed;
}

async function lockJobRows(tx: TxContext, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const query = tx.db.selectFrom('jobs').select('id').where('id', 'in', jobIds).orderBy('id');
  await lockRowsForUpdate(tx.dialect, query).execute();
}
