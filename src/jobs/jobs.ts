/**
 * Reading jobs. A job is a video render and its money: the hold that admitted it, the amount
 * charged when it ended, and what the engine produced. This module owns the status vocabulary
 * and the customer's view of their jobs: a deleted job, or another account's, is not found.
 * Statuses: pending → processing → completed | failed, and pending | processing → cancelled
 * (deleted before it ended; a cancelled job is always deleted, so clients never see that status).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { assert } from '../shared/assert.ts';
import type { PageCursor } from '../shared/page-token.ts';
import { jobError } from './errors.ts';
import type { JobRow } from './jobs.table.ts';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
/** The statuses that hold a concurrency slot (and, unless a test, a hold). */
export const IN_FLIGHT_STATUSES: JobStatus[] = ['pending', 'processing'];

/** The account's job, or `job_not_found` (also for deleted jobs and other accounts' jobs). */
export async function getJob(
  db: Kysely<DB>,
  request: { account_id: string; job_id: string },
): Promise<JobRow> {
  const row = await db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', request.job_id)
    .where('account_id', '=', request.account_id)
    .where('deleted_at_ms', 'is', null)
    .executeTakeFirst();
  if (row === undefined) {
    throw jobError('job_not_found', `Video ${request.job_id} not found.`, 'video_id');
  }
  return row;
}

export type JobPage = {
  account_id: string;
  limit: number;
  after: PageCursor | null;
  /** Keeps jobs whose title contains this text, ignoring ASCII case. */
  title_contains: string | null;
};

/**
 * One page of the account's jobs that are not deleted, newest first. Fetches `limit + 1` rows so
 * the caller can tell whether another page follows.
 */
export async function listJobs(db: Kysely<DB>, page: JobPage): Promise<JobRow[]> {
  assert(page.limit >= 1, 'a page holds at least one job');
  let query = db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', page.account_id)
    .where('deleted_at_ms', 'is', null);
  const after = page.after;
  if (after !== null) {
    query = query.where(olderThanCursor(after));
  }
  if (page.title_contains !== null) {
    const pattern = `%${page.title_contains.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    // SQLite has no default LIKE escape character; PostgreSQL's is the same backslash.
    query = query.where(
      sql<boolean>`lower(${sql.ref('title')}) like lower(${pattern}) escape '\\'`,
    );
  }
  return query
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
