/**
 * Jobs: the sku the hold was priced on, the estimated output duration behind the hold, and the
 * render outputs HeyGen's VideoDetail names beside `video_url` (GIF preview, captioned video,
 * subtitle file). All nullable, so existing rows stay valid.
 */
import type { Kysely } from 'kysely';

const TEXT_COLUMNS = ['sku', 'gif_url', 'captioned_video_url', 'subtitle_url'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of TEXT_COLUMNS) {
    await db.schema.alterTable('jobs').addColumn(column, 'text').execute();
  }
  await db.schema.alterTable('jobs').addColumn('estimated_duration_ms', 'bigint').execute();
  // Admission counts an account's jobs in flight; the worker scans by status.
  await db.schema
    .createIndex('jobs_account_status')
    .on('jobs')
    .columns(['account_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_account_status').execute();
  for (const column of [...TEXT_COLUMNS, 'estimated_duration_ms']) {
    await db.schema.alterTable('jobs').dropColumn(column).execute();
  }
}
