/**
 * The ledger: accounts with four balance columns, an append-only transfer log, and the state of
 * each pending transfer (pending → posted | voided | expired). Every integer is int8 so both
 * dialects return it as a bigint.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('code', 'bigint', (col) => col.notNull())
    .addColumn('flags', 'bigint', (col) => col.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('debits_pending', 'bigint', (col) => col.notNull())
    .addColumn('debits_posted', 'bigint', (col) => col.notNull())
    .addColumn('credits_pending', 'bigint', (col) => col.notNull())
    .addColumn('credits_posted', 'bigint', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_accounts_owner')
    .on('ledger_accounts')
    .column('owner_id')
    .execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('debit_account_id', 'text', (col) => col.notNull().references('ledger_accounts.id'))
    .addColumn('credit_account_id', 'text', (col) => col.notNull().references('ledger_accounts.id'))
    .addColumn('amount', 'bigint', (col) => col.notNull())
    .addColumn('pending_id', 'text')
    .addColumn('flags', 'bigint', (col) => col.notNull())
    .addColumn('timeout_ms', 'bigint', (col) => col.notNull())
    .addColumn('code', 'bigint', (col) => col.notNull())
    .addColumn('reference', 'text')
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('created_at_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_transfers_debit')
    .on('ledger_transfers')
    .columns(['debit_account_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_credit')
    .on('ledger_transfers')
    .columns(['credit_account_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_reference')
    .on('ledger_transfers')
    .column('reference')
    .execute();

  await db.schema
    .createTable('ledger_pending')
    .addColumn('transfer_id', 'text', (col) => col.primaryKey().references('ledger_transfers.id'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('expires_at_ms', 'bigint')
    .addColumn('resolved_by_id', 'text')
    .addColumn('resolved_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('ledger_pending_due')
    .on('ledger_pending')
    .columns(['status', 'expires_at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_pending').execute();
  await db.schema.dropTable('ledger_transfers').execute();
  await db.schema.dropTable('ledger_accounts').execute();
}
