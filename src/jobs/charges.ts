/**
 * What jobs were charged, for operators' exports and reports: one row per charge (a job settled
 * with a positive charge; failed, cancelled, expired and `test` jobs charge nothing) in a time
 * range by settlement time (`completed_at_ms`), and the revenue per product per UTC day. Reads
 * only; pages are bounded (`CHARGE_PAGE_SIZE_MAX`) and follow a keyset (`completed_at_ms`, `id`),
 * so an export of any size runs in constant memory.
 *
 * USD only: a charge is a job whose money was USD (`USD_BILLING_POOLS`: the prepaid wallet or a
 * usage-based receivable). A web-plan job is paid in credits (`job_credits`); its
 * `charged_amount_micro_usd` is the USD list price, not money received, so it is never counted.
 */
import type { Kysely } from 'kysely';
import type { BillingPool } from '../billing/pools.ts';
import type { DB } from '../db/database.ts';
import { assert } from '../shared/assert.ts';

export const CHARGE_PAGE_SIZE_MAX = 5_000;
const DAY_MS = 86_400_000n;
/** The billing pools whose jobs are paid in USD: the only ones a USD figure counts. */
export const USD_BILLING_POOLS: readonly BillingPool[] = ['wallet', 'usage_based'];

export type ChargeRange = {
  from_ms: bigint;
  /** Exclusive. */
  to_ms: bigint;
  account_id: string | null;
};

export type Charge = {
  job_id: string;
  account_id: string;
  kind: string;
  product: string;
  sku: string | null;
  rate_card_version: string;
  duration_ms: bigint | null;
  charged_amount_micro_usd: bigint;
  completed_at_ms: bigint;
};

export type ChargeCursor = { completed_at_ms: bigint; id: string };

/** One page of charges in `range`, oldest settlement first, after `after`. */
export async function listCharges(
  db: Kysely<DB>,
  request: ChargeRange & { after: ChargeCursor | null; limit: number },
): Promise<Charge[]> {
  assert(request.limit >= 1 && request.limit <= CHARGE_PAGE_SIZE_MAX, 'charge page size bounded');
  let query = db
    .selectFrom('jobs')
    .select([
      'id as job_id',
      'account_id',
      'kind',
      'product',
      'sku',
      'rate_card_version',
      'duration_ms',
      'charged_amount_micro_usd',
      'completed_at_ms',
    ])
    .where('charged_amount_micro_usd', '>', 0n)
    .where('billing_pool', 'in', USD_BILLING_POOLS)
    .where('completed_at_ms', '>=', request.from_ms)
    .where('completed_at_ms', '<', request.to_ms);
  if (request.account_id !== null) query = query.where('account_id', '=', request.account_id);
  const after = request.after;
  if (after !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('completed_at_ms', '>', after.completed_at_ms),
        eb.and([eb('completed_at_ms', '=', after.completed_at_ms), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('completed_at_ms').orderBy('id').limit(request.limit).execute();
  return rows.map((row) => ({
    ...row,
    charged_amount_micro_usd: row.charged_amount_micro_usd!,
    completed_at_ms: row.completed_at_ms!,
  }));
}

/** How many charges `range` holds (for a progress bar's total). */
export async function countCharges(db: Kysely<DB>, range: ChargeRange): Promise<number> {
  let query = db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<bigint>().as('count'))
    .where('charged_amount_micro_usd', '>', 0n)
    .where('billing_pool', 'in', USD_BILLING_POOLS)
    .where('completed_at_ms', '>=', range.from_ms)
    .where('completed_at_ms', '<', range.to_ms);
  if (range.account_id !== null) query = query.where('account_id', '=', range.account_id);
  return Number((await query.executeTakeFirstOrThrow()).count);
}

export type RevenueDay = {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  product: string;
  charge_count: bigint;
  duration_ms: bigint;
  charged_amount_micro_usd: bigint;
};

/** Charged amounts per product per UTC day of settlement in `range`, by day then product. */
export async function revenueByProductDay(
  db: Kysely<DB>,
  range: ChargeRange,
): Promise<RevenueDay[]> {
  let query = db
    .selectFrom('jobs')
    .select((eb) => [
      eb('completed_at_ms', '/', DAY_MS).as('day_index'),
      'product',
      eb.fn.countAll<bigint>().as('charge_count'),
      eb.fn.sum<bigint | string>('duration_ms').as('duration_ms'),
      eb.fn.sum<bigint | string>('charged_amount_micro_usd').as('charged_amount_micro_usd'),
    ])
    .where('charged_amount_micro_usd', '>', 0n)
    .where('billing_pool', 'in', USD_BILLING_POOLS)
    .where('completed_at_ms', '>=', range.from_ms)
    .where('completed_at_ms', '<', range.to_ms);
  if (range.account_id !== null) query = query.where('account_id', '=', range.account_id);
  const rows = await query
    .groupBy(['day_index', 'product'])
    .orderBy('day_index')
    .orderBy('product')
    .execute();
  return rows.map((row) => ({
    day: new Date(Number(BigInt(String(row.day_index)) * DAY_MS)).toISOString().slice(0, 10),
    product: row.product,
    charge_count: BigInt(String(row.charge_count)),
    duration_ms: BigInt(String(row.duration_ms ?? 0)),
    charged_amount_micro_usd: BigInt(String(row.charged_amount_micro_usd)),
  }));
}
