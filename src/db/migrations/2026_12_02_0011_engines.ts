/**
 * Real render engines. `engine_jobs`: one row per job handed to a remote engine (a render farm,
 * or a HeyGen-compatible upstream): the engine's own id of the job (`upstream_id`), its last
 * reported progress, when the engine last spoke of it (heartbeats), how many hand-overs or polls
 * failed in a row, and, for resale, what the upstream charged for it (`upstream_cost_micro_usd`,
 * recorded beside the customer's price in `jobs`). Simulator jobs have no row.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('engine_jobs')
    .addColumn('job_id', 'text', (column) => column.primaryKey().references('jobs.id'))
    .addColumn('engine', 'text', (column) => column.notNull())
    .addColumn('upstream_id', 'text')
    .addColumn('progress', 'bigint')
    .addColumn('started_at_ms', 'bigint')
    .addColumn('last_heard_at_ms', 'bigint')
    .addColumn('failures', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('upstream_status', 'text')
    .addColumn('upstream_cost_micro_usd', 'bigint')
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('updated_at_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('engine_jobs_upstream')
    .on('engine_jobs')
    .columns(['engine', 'upstream_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('engine_jobs').execute();
}
