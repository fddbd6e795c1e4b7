/**
 * Idempotency keys record who holds them while in flight: the gateway node that claimed the key,
 * a token for this one claim (a write stores its response only while it still holds the claim),
 * and when the claim's lease ends (after which a retry may take the key over). All nullable: a
 * key claimed before this migration has no lease; its lease is counted from its creation.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').addColumn('owner_node_id', 'text').execute();
  await db.schema.alterTable('idempotency_keys').addColumn('claim_id', 'text').execute();
  await db.schema
    .alterTable('idempotency_keys')
    .addColumn('lease_expires_at_ms', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['lease_expires_at_ms', 'claim_id', 'owner_node_id']) {
    await db.schema.alterTable('idempotency_keys').dropColumn(column).execute();
  }
}
