/**
 * Reading jobs. A job is one product's asynchronous work (a video render, a lipsync, …) and its
 * money: the hold that admitted it, the amount charged when it ended, and what the engine
 * produced. This module owns the customer's view of their jobs, one product (`kind`) at a time:
 * a deleted job, another account's, or another product's is not found. Statuses are the
 * lifecycle's (`lifecycle.ts`); a cancelled job is deleted, so clients never see it, except the
 * unfinished video of a stopped Video Agent session (shown as failed).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { productOf } from '../products/registry.ts';
import { assert } from '../shared/assert.ts';
import type { PageCursor } from '../shared/page-token.ts';
import { jobError } from './errors.ts';
import type { JobRow } from './jobs.table.ts';

/** `job_not_found` in the words of the job's product (`Lipsync … not found`, `lipsync_id`). */
export function jobNotFound(kind: string, job_id: string) {
  const product = productOf(kind);
  return jobError('job_not_found', `${product.noun} ${job_id} not found.`, product.id_param);
}

/**
 * The account's job of `kind`, or `job_not_found` (also for deleted jobs, other accounts' jobs
 * and other products' jobs).
 */
export async function getJob(
  db: Kysely<DB>,
  request: { account_id: string; kind: string; job_id: string },
): Promise<JobRow> {
  const row = await db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', request.job_id)
    .where('account_id', '=', request.account_id)
    .where('kind', '=', request.kind)
    .where('deleted_at_ms', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw jobNotFound(request.kind, request.job_id);
  return row;
}

/** Renames the account's job of `kind` (HeyGen's PATCH: the title only); returns the job. */
export async function renameJob(
  db: Kysely<DB>,
  request: { account_id: string; kind: string; job_id: string; title: string },
): Promise<JobRow> {
  const result = await db
    .updateTable('jobs')
    .set({ title: request.title })
    .where('id', '=', request.job_id)
    .where('account_id', '=', request.account_id)
    .where('kind', '=', request.kind)
    .where('deleted_at_ms', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw jobNotFound(request.kind, request.job_id);
  return getJob(db, request);
}

export type JobPage = {
  account_id: string;
  kind: string;
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
    .where('kind', '=', page.kind)
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
