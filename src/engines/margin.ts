/**
 * The operator's margin report on resold work: for jobs a remote engine rendered, per UTC day of
 * settlement, product and account, what the customers were charged (`jobs`), what the upstream
 * charged for the same jobs (`engine_jobs.upstream_cost_micro_usd`, when it says) and the
 * difference. A job whose upstream cost is unknown (HeyGen itself reports none) counts in
 * `job_count` but not in `costed_job_count`, and its margin is not computed: the report never
 * guesses a cost. Reads only; bounded by `MARGIN_ROWS_MAX` groups. Rendered as JSON or CSV
 * (`MARGIN_COLUMNS`) by the HTTP and CLI edges. USD jobs only (`USD_BILLING_POOLS`): a web-plan
 * job is paid in credits, so it has no USD charge to set against a cost and is left out.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { type ChargeRange, USD_BILLING_POOLS } from '../jobs/charges.ts';
import { formatMicroUsd } from '../shared/money.ts';

export const MARGIN_ROWS_MAX = 10_000;
const DAY_MS = 86_400_000n;

export type MarginRow = {
  /** The UTC day of settlement, `YYYY-MM-DD`. */
  day: string;
  product: string;
  account_id: string;
  job_count: bigint;
  /** Jobs whose upstream cost is known. */
  costed_job_count: bigint;
  charged_amount_micro_usd: bigint;
  /** The customer charges of the costed jobs only: what the margin compares. */
  costed_charged_amount_micro_usd: bigint;
  upstream_cost_micro_usd: bigint;
  /** `costed_charged − upstream_cost`: may be negative (sold at a loss). */
  margin_micro_usd: bigint;
};

/** Margin groups in `range` (settlement time), by day, product, then account. */
export async function marginReport(db: Kysely<DB>, range: ChargeRange): Promise<MarginRow[]> {
  let query = db
    .selectFrom('jobs')
    .innerJoin('engine_jobs', 'engine_jobs.job_id', 'jobs.id')
    .select((eb) => [
      eb('jobs.completed_at_ms', '/', DAY_MS).as('day_index'),
      'jobs.product',
      'jobs.account_id',
      eb.fn.countAll<bigint>().as('job_count'),
      eb.fn.count<bigint>('engine_jobs.upstream_cost_micro_usd').as('costed_job_count'),
      eb.fn.sum<bigint | string>('jobs.charged_amount_micro_usd').as('charged'),
      eb.fn
        .sum<bigint | string>(
          eb
            .case()
            .when('engine_jobs.upstream_cost_micro_usd', 'is not', null)
            .then(eb.ref('jobs.charged_amount_micro_usd'))
            .else(0n)
            .end(),
        )
        .as('costed_charged'),
      eb.fn.sum<bigint | string>('engine_jobs.upstream_cost_micro_usd').as('upstream_cost'),
    ])
    .where('jobs.completed_at_ms', '>=', range.from_ms)
    .where('jobs.completed_at_ms', '<', range.to_ms)
    .where('jobs.billing_pool', 'in', USD_BILLING_POOLS)
    .where((eb) =>
      eb.or([
        eb('jobs.charged_amount_micro_usd', '>', 0n),
        eb('engine_jobs.upstream_cost_micro_usd', '>', 0n),
      ]),
    );
  if (range.account_id !== null) query = query.where('jobs.account_id', '=', range.account_id);
  const rows = await query
    .groupBy(['day_index', 'jobs.product', 'jobs.account_id'])
    .orderBy('day_index')
    .orderBy('jobs.product')
    .orderBy('jobs.account_id')
    .limit(MARGIN_ROWS_MAX)
    .execute();
  return rows.map((row) => {
    const costed = BigInt(String(row.costed_charged ?? 0));
    const cost = BigInt(String(row.upstream_cost ?? 0));
    return {
      day: new Date(Number(BigInt(String(row.day_index)) * DAY_MS)).toISOString().slice(0, 10),
      product: row.product,
      account_id: row.account_id,
      job_count: BigInt(String(row.job_count)),
      costed_job_count: BigInt(String(row.costed_job_count)),
      charged_amount_micro_usd: BigInt(String(row.charged ?? 0)),
      costed_charged_amount_micro_usd: costed,
      upstream_cost_micro_usd: cost,
      margin_micro_usd: costed - cost,
    };
  });
}

/** The CSV columns, in order; amounts twice (exact micro-USD, decimal USD). */
export const MARGIN_COLUMNS = [
  'day',
  'product',
  'account_id',
  'job_count',
  'costed_job_count',
  'charged_amount_micro_usd',
  'charged_usd',
  'upstream_cost_micro_usd',
  'upstream_cost_usd',
  'margin_micro_usd',
  'margin_usd',
] as const;

/** A row with its `_usd` strings beside the micro-USD integers (both edges render this). */
export function renderMarginRow(row: MarginRow) {
  return {
    ...row,
    charged_usd: formatMicroUsd(row.charged_amount_micro_usd),
    costed_charged_usd: formatMicroUsd(row.costed_charged_amount_micro_usd),
    upstream_cost_usd: formatMicroUsd(row.upstream_cost_micro_usd),
    margin_usd: formatMicroUsd(row.margin_micro_usd),
  };
}

/** The report's rows as CSV lines (header first), through `csv-stringify`. */
export function marginCsvRows(rows: readonly MarginRow[]): string[][] {
  return [
    [...MARGIN_COLUMNS],
    ...rows.map((row) => {
      const rendered = renderMarginRow(row);
      return MARGIN_COLUMNS.map((column) => String(rendered[column]));
    }),
  ];
}
