/**
 * Jobs of every product: `kind` names the job's lifecycle and API resource (`video`, `lipsync`, …)
 * so each product's list shows only its own jobs and each job's status is read in its product's
 * vocabulary. Existing rows are videos. The index serves each product's newest-first list.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('jobs')
    .addColumn('kind', 'text', (col) => col.notNull().defaultTo('video'))
    .execute();
  await db.schema
    .createIndex('jobs_account_kind_created')
    .on('jobs')
    .columns(['account_id', 'kind', 'created_at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_account_kind_created').execute();
  await db.schema.alterTable('jobs').dropColumn('kind').execute();
}
