/**
 * Reads for the operator console that no other module offers: account search (by id, username or
 * email) and the jobs in flight across every account. Both are bounded by the caller's limit.
 */
import { type Kysely, sql } from 'kysely';
import type { Account } from '../accounts/accounts.ts';
import { toAccount } from '../accounts/accounts.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/database.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { IN_FLIGHT_STATUSES } from '../jobs/lifecycle.ts';
import { assert } from '../shared/assert.ts';

/** Accounts whose id is `query`, or whose username or email contains it (ASCII case ignored). */
export async function searchAccounts(
  ctx: { db: Kysely<DB>; config: Config },
  request: { query: string; limit: number },
): Promise<Account[]> {
  assert(request.limit >= 1 && request.limit <= ctx.config.limits.page_size_max, 'limit bounded');
  const pattern = `%${request.query.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const like = (column: 'username' | 'email') =>
    sql<boolean>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
  const rows = await ctx.db
    .selectFrom('accounts')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', request.query), like('username'), like('email')]))
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(request.limit)
    .execute();
  return rows.map((row) => toAccount(row, ctx.config.limits.concurrent_jobs_default));
}

/** Jobs in flight (admitted, not yet ended) across every account, oldest first. */
export async function listJobsInFlight(
  db: Kysely<DB>,
  request: { limit: number },
): Promise<JobRow[]> {
  assert(request.limit >= 1, 'a page holds at least one job');
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('status', 'in', [...IN_FLIGHT_STATUSES])
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(request.limit)
    .execute();
}
