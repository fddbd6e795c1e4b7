/**
 * The group a job belongs to within its product (`jobs.group_id`, null when none): an avatar
 * look (an `avatar_training` job) belongs to an avatar group, which exists while any of its looks
 * does. The index serves one account's looks of one group.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('group_id', 'text').execute();
  await db.schema
    .createIndex('jobs_account_kind_group')
    .on('jobs')
    .columns(['account_id', 'kind', 'group_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_account_kind_group').execute();
  await db.schema.alterTable('jobs').dropColumn('group_id').execute();
}
