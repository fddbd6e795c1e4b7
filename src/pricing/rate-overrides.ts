/**
 * Per-account rate overrides: new rates for any rows of the card (an Enterprise account's
 * `video_translation.proofread` rate, a negotiated discount), applied on top of whichever card
 * version is in effect. Overrides are immutable versions: setting one ends the account's current
 * override and adds a new row; removing one ends it. A job records the override id it was
 * admitted under, so changing an override never reprices an admitted job.
 */
import type { Kysely } from 'kysely';
import { getAccount } from '../accounts/accounts.ts';
import type { TxContext } from '../context.ts';
import { announceInvalidation } from '../db/cache/announce.ts';
import type { DB } from '../db/database.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { assert } from '../shared/assert.ts';
import { stringifyJson } from '../shared/json.ts';
import {
  loadStoredOverrideRows,
  type OverrideRowInput,
  validateOverrideRows,
} from './card-input.ts';
import type { RateOverrideRecord } from './pricing.table.ts';
import type { RateRow } from './rate-card.ts';
import { type PricingReader, parseStoredRows } from './rate-card-store.ts';

export type RateOverride = {
  id: string;
  account_id: string;
  version: bigint;
  rows: RateRow[];
  memo: string | null;
  created_at_ms: bigint;
  ended_at_ms: bigint | null;
};

/**
 * Sets the account's override to `rows` from now on, as a new version; the previous one ends
 * now. Setting the override in force again (same rows and memo) changes nothing and returns it,
 * so a retried PUT makes one version. `rate_card_rejected` naming the field; `account_not_found`.
 */
export async function setRateOverride(
  tx: TxContext,
  input: { account_id: string; rows: OverrideRowInput[]; memo: string | null },
): Promise<RateOverride> {
  const rows = validateOverrideRows(input.rows);
  await lockAccount(tx, input.account_id);
  await announceInvalidation(tx, 'rate_override', input.account_id);
  const rows_json = stringifyJson(input.rows);
  const current = await currentOverride(tx, input.account_id);
  if (current !== null && current.rows_json === rows_json && current.memo === input.memo) {
    return toOverride(current);
  }
  const now_ms = tx.clock.now_ms();
  await endCurrentOverride(tx, input.account_id, now_ms);
  const latest = await tx.db
    .selectFrom('rate_overrides')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('account_id', '=', input.account_id)
    .executeTakeFirst();
  const record: RateOverrideRecord = {
    id: tx.ids.newId('ovr'),
    account_id: input.account_id,
    version: BigInt(latest?.version ?? 0n) + 1n,
    rows_json,
    memo: input.memo,
    created_at_ms: now_ms,
    ended_at_ms: null,
  };
  await tx.db.insertInto('rate_overrides').values(record).execute();
  return { ...toOverrideMeta(record), rows };
}

/** Ends the account's override now; returns it, or `null` when it had none (harmless to repeat). */
export async function removeRateOverride(
  tx: TxContext,
  input: { account_id: string },
): Promise<RateOverride | null> {
  await lockAccount(tx, input.account_id);
  await announceInvalidation(tx, 'rate_override', input.account_id);
  const ended = await endCurrentOverride(tx, input.account_id, tx.clock.now_ms());
  return ended === null ? null : toOverride(ended);
}

/**
 * What the cache keeps per account: the override in force at every instant from `from_ms` on
 * (the account's latest override from its start, or none from the end of the last one).
 */
type InForce = { override: RateOverride | null; from_ms: bigint };

/**
 * The override in force for the account at `at_ms`, or `null`. Cached per account (invalidated
 * by `setRateOverride` and `removeRateOverride` on every node); an instant before the cached
 * one's start (a past instant) reads the database.
 */
export async function rateOverrideAt(
  ctx: PricingReader,
  request: { account_id: string; at_ms: bigint },
): Promise<RateOverride | null> {
  const cached = await ctx.caches.read('rate_override', request.account_id, () =>
    inForceOf(ctx.db, request.account_id),
  );
  if (cached !== undefined && request.at_ms >= cached.from_ms) return cached.override;
  const record = await ctx.db
    .selectFrom('rate_overrides')
    .selectAll()
    .where('account_id', '=', request.account_id)
    .where('created_at_ms', '<=', request.at_ms)
    .where((eb) => eb.or([eb('ended_at_ms', 'is', null), eb('ended_at_ms', '>', request.at_ms)]))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return record === undefined ? null : toOverride(record);
}

async function inForceOf(db: Kysely<DB>, account_id: string): Promise<InForce> {
  const latest = await db
    .selectFrom('rate_overrides')
    .selectAll()
    .where('account_id', '=', account_id)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest === undefined) return { override: null, from_ms: 0n };
  if (latest.ended_at_ms !== null) return { override: null, from_ms: latest.ended_at_ms };
  return { override: toOverride(latest), from_ms: latest.created_at_ms };
}

/** The override with `id` (a job's reference), or `null`. Its rows never change: cached by id. */
export async function findRateOverride(
  ctx: PricingReader,
  id: string,
): Promise<RateOverride | null> {
  const found = await ctx.caches.read('rate_override_by_id', id, async () => {
    const record = await ctx.db
      .selectFrom('rate_overrides')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return record === undefined ? undefined : toOverride(record);
  });
  return found ?? null;
}

/**
 * One page of the account's overrides, newest version first (`account_not_found` for an unknown
 * account). Fetches `limit + 1`; `before_version` is the last item of the previous page.
 */
export async function listRateOverrides(
  ctx: { db: Kysely<DB>; config: TxContext['config'] },
  page: { account_id: string; limit: number; before_version: bigint | null },
): Promise<RateOverride[]> {
  assert(page.limit >= 1, 'a page holds at least one override');
  await getAccount(ctx, page.account_id);
  let query = ctx.db
    .selectFrom('rate_overrides')
    .selectAll()
    .where('account_id', '=', page.account_id);
  if (page.before_version !== null) query = query.where('version', '<', page.before_version);
  const records = await query
    .orderBy('version', 'desc')
    .limit(page.limit + 1)
    .execute();
  return records.map(toOverride);
}

/** Locks the account's row, so one account's overrides change one at a time. */
async function lockAccount(tx: TxContext, account_id: string): Promise<void> {
  await getAccount(tx, account_id);
  const query = tx.db.selectFrom('accounts').select('id').where('id', '=', account_id);
  await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
}

async function endCurrentOverride(
  tx: TxContext,
  account_id: string,
  now_ms: bigint,
): Promise<RateOverrideRecord | null> {
  const current = await currentOverride(tx, account_id);
  if (current === null) return null;
  await tx.db
    .updateTable('rate_overrides')
    .set({ ended_at_ms: now_ms })
    .where('id', '=', current.id)
    .execute();
  return { ...current, ended_at_ms: now_ms };
}

async function currentOverride(
  tx: TxContext,
  account_id: string,
): Promise<RateOverrideRecord | null> {
  const current = await tx.db
    .selectFrom('rate_overrides')
    .selectAll()
    .where('account_id', '=', account_id)
    .where('ended_at_ms', 'is', null)
    .executeTakeFirst();
  return current ?? null;
}

function toOverrideMeta(record: RateOverrideRecord): Omit<RateOverride, 'rows'> {
  return {
    id: record.id,
    account_id: record.account_id,
    version: record.version,
    memo: record.memo,
    created_at_ms: record.created_at_ms,
    ended_at_ms: record.ended_at_ms,
  };
}

function toOverride(record: RateOverrideRecord): RateOverride {
  const rows = loadStoredOverrideRows(parseStoredRows<OverrideRowInput>(record.rows_json));
  return { ...toOverrideMeta(record), rows };
}
