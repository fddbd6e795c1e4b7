/**
 * Reading and writing a wallet's balance watch row (`alerts.table.ts`): one row per watched
 * wallet, created on the first setting with unwatched defaults.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { prepareQuery } from '../db/prepared.ts';
import type { BalanceWatchRow, BalanceWatchTable } from './alerts.table.ts';

const WATCH_OF = prepareQuery((db, _dialect, p: { account_id: string }) =>
  db.selectFrom('balance_watches').selectAll().where('account_id', '=', p.account_id),
);

export async function findBalanceWatch(
  db: Kysely<DB>,
  account_id: string,
): Promise<BalanceWatchRow | null> {
  return (await WATCH_OF.first(db, { account_id })) ?? null;
}

/** Settings a customer changes on the watch row (the state columns are the hooks' to move). */
export type BalanceWatchSettings = Partial<Omit<BalanceWatchTable, 'account_id' | 'updated_at_ms'>>;

/** Writes `set` on the wallet's watch row, creating it (unwatched defaults) if there is none. */
export async function upsertBalanceWatch(
  tx: TxContext,
  input: { account_id: string; set: BalanceWatchSettings },
): Promise<void> {
  const set = { ...input.set, updated_at_ms: tx.clock.now_ms() };
  await tx.db
    .insertInto('balance_watches')
    .values({
      account_id: input.account_id,
      low_balance_threshold_micro_usd: null,
      low_balance_armed: 1n,
      auto_reload_enabled: 0n,
      auto_reload_failures: 0n,
      ...set,
    })
    .onConflict((conflict) => conflict.column('account_id').doUpdateSet(set))
    .execute();
}
