/**
 * Video Agent sessions. `jobs.parent_id` names the job a job is part of: each video a Video Agent
 * session makes is a job of its own (its own hold and charge) whose parent is the session's job.
 * `agent_messages` keeps a session's conversation (the customer's prompt and messages, the
 * agent's replies). Both nullable or new, so existing rows stay valid.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('parent_id', 'text').execute();
  // A session's videos, oldest first.
  await db.schema
    .createIndex('jobs_parent_created')
    .on('jobs')
    .columns(['parent_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createTable('agent_messages')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('session_id', 'text', (col) => col.notNull().references('jobs.id'))
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('resource_ids_json', 'text')
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('agent_messages_session_seq')
    .on('agent_messages')
    .columns(['session_id', 'seq'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_messages').execute();
  await db.schema.dropIndex('jobs_parent_created').execute();
  await db.schema.alterTable('jobs').dropColumn('parent_id').execute();
}
