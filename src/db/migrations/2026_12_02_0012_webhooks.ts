/**
 * Webhooks: endpoints a customer registers (HeyGen's `/v3/webhooks/endpoints`), one delivery per
 * event and target (an endpoint, or a job's `callback_url`), one attempt row per try (the
 * delivery log), and the account's secret that signs `callback_url` deliveries. The events
 * outbox gains the entity an event concerns (`/v3/webhooks/events?entity_id=`) and the instant
 * its deliveries were fanned out (null: not yet; existing events count as done, so an upgrade
 * sends nothing old).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('entity_id', 'text').execute();
  await db.schema.alterTable('events').addColumn('dispatched_at_ms', 'bigint').execute();
  await sql`update events set dispatched_at_ms = created_at_ms`.execute(db);
  await db.schema
    .createIndex('events_undispatched')
    .on('events')
    .columns(['created_at_ms', 'id'])
    .where(sql.ref('dispatched_at_ms'), 'is', null)
    .execute();
  await db.schema
    .createIndex('events_account_entity')
    .on('events')
    .columns(['account_id', 'entity_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('events_json', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('secret', 'text', (column) => column.notNull())
    .addColumn('failures_consecutive', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('updated_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('deleted_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_account')
    .on('webhook_endpoints')
    .columns(['account_id', 'created_at_ms', 'id'])
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('event_id', 'text', (column) => column.notNull().references('events.id'))
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('endpoint_id', 'text', (column) => column.references('webhook_endpoints.id'))
    .addColumn('callback_url', 'text')
    .addColumn('ordering_key', 'text', (column) => column.notNull())
    .addColumn('event_created_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempts', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('claim_id', 'text')
    .addColumn('lease_expires_at_ms', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('delivered_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_open')
    .on('webhook_deliveries')
    .columns(['ordering_key', 'event_created_at_ms', 'id'])
    .where(sql.ref('status'), 'in', sql`('pending', 'sending')`)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event')
    .on('webhook_deliveries')
    .columns(['event_id'])
    .execute();
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('delivery_id', 'text', (column) =>
      column.notNull().references('webhook_deliveries.id'),
    )
    .addColumn('attempt', 'bigint', (column) => column.notNull())
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('started_at_ms', 'bigint', (column) => column.notNull())
    .addColumn('finished_at_ms', 'bigint')
    .addColumn('response_status', 'bigint')
    .addColumn('error', 'text')
    .addUniqueConstraint('webhook_attempts_once', ['delivery_id', 'attempt'])
    .execute();
  await db.schema
    .createTable('webhook_callback_secrets')
    .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id'))
    .addColumn('secret', 'text', (column) => column.notNull())
    .addColumn('created_at_ms', 'bigint', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_callback_secrets').execute();
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
  await db.schema.dropIndex('events_account_entity').execute();
  await db.schema.dropIndex('events_undispatched').execute();
  await db.schema.alterTable('events').dropColumn('dispatched_at_ms').execute();
  await db.schema.alterTable('events').dropColumn('entity_id').execute();
}
