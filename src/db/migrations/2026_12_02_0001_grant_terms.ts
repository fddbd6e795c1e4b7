/**
 * Grant terms: a wallet becomes a set of grants, each its own no-overdraft ledger account
 * (`wallet:<account>:grant:<grant>`), drawn in the order of `wallets/draw-order.ts`. Adds to
 * `grants` the source, priority, expiry, the ledger account that holds the grant's money and
 * `closed_at_ms` (set once the grant is no longer read on the hot path: exhausted, expired or
 * revoked with nothing held, or folded into a pool). Partial indexes keep the hot path (a wallet's
 * open grants) and the expiry sweep (open grants by deadline) off closed rows.
 *
 * Existing databases: each customer's two per-kind accounts (`wallet:<account>:promotional|paid`)
 * keep their balances untouched and become that wallet's two pools (kind as before, no expiry,
 * the lowest priority, read by id on every wallet read); the existing grant rows point at their
 * pool and are closed (their money is in the pool). A third per-wallet account,
 * `wallet:<account>:debt` (may go below zero), is created with zero balances for every account.
 * No transfer is written: not a cent moves.
 *
 * `wallet_adjustments` records what the ledger cannot: the memo, reason and operator of each
 * debit, revocation, refund and operator credit (`wallets/adjustments.ts`); the money itself is
 * the ledger transfers whose reference is the adjustment's id (or, for a refund, the job's).
 */
import { type Kysely, sql } from 'kysely';

/** Below any priority a grant may be given (`GRANT_PRIORITY_MIN` in `wallets/grant-terms.ts`). */
const POOL_PRIORITY = -2_147_483_648;
const CUSTOMER_WALLET_CODE = 1;

export async function up(db: Kysely<unknown>): Promise<void> {
  const grants = () => db.schema.alterTable('grants');
  await grants()
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('operator'))
    .execute();
  await grants()
    .addColumn('priority', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await grants().addColumn('expires_at_ms', 'bigint').execute();
  await grants().addColumn('ledger_account_id', 'text').execute();
  await grants().addColumn('closed_at_ms', 'bigint').execute();
  const now_ms = Date.now();
  await sql`
    UPDATE grants
    SET ledger_account_id = 'wallet:' || account_id || ':' || kind,
        priority = ${POOL_PRIORITY},
        closed_at_ms = ${now_ms}
  `.execute(db);
  await sql`
    INSERT INTO ledger_accounts (id, currency, code, flags, owner_id, debits_pending,
      debits_posted, credits_pending, credits_posted, created_at_ms)
    SELECT 'wallet:' || id || ':debt', 'usd_micro', ${CUSTOMER_WALLET_CODE}, 0, id, 0, 0, 0, 0,
      ${now_ms}
    FROM accounts
    WHERE NOT EXISTS (
      SELECT 1 FROM ledger_accounts a WHERE a.id = 'wallet:' || accounts.id || ':debt'
    )
  `.execute(db);
  await db.schema
    .createIndex('grants_open_by_account')
    .on('grants')
    .column('account_id')
    .where(sql.ref('closed_at_ms'), 'is', null)
    .execute();
  await db.schema
    .createIndex('grants_open_by_expiry')
    .on('grants')
    .column('expires_at_ms')
    .where(sql<boolean>`closed_at_ms IS NULL AND expires_at_ms IS NOT NULL`)
    .execute();
  await db.schema
    .createTable('wallet_adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('amount_micro_usd', 'bigint', (c) => c.notNull())
    .addColumn('memo', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('operator', 'text')
    .addColumn('grant_id', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('wallet_adjustments_account')
    .on('wallet_adjustments')
    .columns(['account_id', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('grants_ledger_account')
    .on('grants')
    .column('ledger_account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('wallet_adjustments').execute();
  await db.schema.dropIndex('grants_ledger_account').execute();
  await db.schema.dropIndex('grants_open_by_expiry').execute();
  await db.schema.dropIndex('grants_open_by_account').execute();
  await sql`DELETE FROM ledger_accounts WHERE id LIKE 'wallet:%:debt'`.execute(db);
  for (const name of ['closed_at_ms', 'ledger_account_id', 'expires_at_ms', 'priority', 'source']) {
    await db.schema.alterTable('grants').dropColumn(name).execute();
  }
}
