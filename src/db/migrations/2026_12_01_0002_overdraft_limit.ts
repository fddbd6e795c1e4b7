/**
 * Accounts: the operator-set overdraft limit. An overrun (a job whose actual price exceeds its
 * hold) is charged only down to minus this limit; the rest is written off. Default 0.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('overdraft_limit_micro_usd', 'bigint', (column) => column.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('overdraft_limit_micro_usd').execute();
}
