/**
 * Statements of a usage-based account: one per month of the account's time zone, listing every
 * charge posted to its receivable in that month (a job is charged in the month it completes in),
 * with the job it is for, and the total. A month that has not ended is `open` (charges may still
 * be added); an ended month is `closed` and never changes. Months are listed newest first, from
 * the current one back to the month the account first became usage-based. Reads only; every
 * statement is bounded (`STATEMENT_CHARGES_MAX`).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import {
  type CalendarPeriod,
  monthPeriodOf,
  periodContaining,
  previousMonth,
} from '../shared/time-zones.ts';
import type { UsageBasedErrorCode } from './errors.ts';
import { receivableAccountId } from './receivable.ts';
import { readCapSettings } from './spending.ts';

/** Most charges one statement lists; a larger month is exported with `tollgate usage export`. */
export const STATEMENT_CHARGES_MAX = 100_000;
const CHARGE_PAGE_SIZE = 1_000;

export type StatementSummary = {
  account_id: string;
  period: string;
  time_zone: string;
  start_ms: bigint;
  end_ms: bigint;
  status: 'open' | 'closed';
  charge_count: number;
  total_micro_usd: bigint;
};

export type StatementCharge = {
  transfer_id: string;
  job_id: string;
  kind: string | null;
  product: string | null;
  sku: string | null;
  api_key_id: string | null;
  duration_ms: bigint | null;
  charged_at_ms: bigint;
  amount_micro_usd: bigint;
};

export type Statement = StatementSummary & { charges: StatementCharge[] };

type Ctx = { db: Kysely<DB>; clock: Clock };

function periodInvalid(param: string, key: string): DomainError<UsageBasedErrorCode> {
  return new DomainError<UsageBasedErrorCode>(
    'statement_period_invalid',
    `'${key}' is not a statement period: give a month as YYYY-MM, such as "2026-12".`,
    { param },
  );
}

/**
 * One page of statements, newest first: `limit` months from `from` (a month key, the current
 * month when null), back to the account's first usage-based month. `next` continues the list.
 */
export async function listStatements(
  ctx: Ctx,
  page: { account_id: string; limit: number; from: string | null },
): Promise<{ statements: StatementSummary[]; next: string | null }> {
  const settings = await readCapSettings(ctx.db, page.account_id);
  const receivable = await ctx.db
    .selectFrom('ledger_accounts')
    .select('created_at_ms')
    .where('id', '=', receivableAccountId(page.account_id))
    .executeTakeFirst();
  if (receivable === undefined) return { statements: [], next: null };
  const now_ms = ctx.clock.now_ms();
  const current = periodContaining(settings.time_zone, 'month', now_ms);
  let period = current;
  if (page.from !== null) {
    const from = monthPeriodOf(settings.time_zone, page.from);
    if (from === null) throw periodInvalid('token', page.from);
    if (from.start_ms < current.start_ms) period = from;
  }
  const first = periodContaining(settings.time_zone, 'month', receivable.created_at_ms);
  const statements: StatementSummary[] = [];
  while (statements.length < page.limit && period.start_ms >= first.start_ms) {
    statements.push(await summarize(ctx, { ...settings, period, now_ms }));
    period = previousMonth(settings.time_zone, period);
  }
  return { statements, next: period.start_ms >= first.start_ms ? period.key : null };
}

/** The statement of the month `period` (`YYYY-MM`) with every charge, oldest first. */
export async function getStatement(
  ctx: Ctx,
  request: { account_id: string; period: string },
): Promise<Statement> {
  const settings = await readCapSettings(ctx.db, request.account_id);
  const period = monthPeriodOf(settings.time_zone, request.period);
  if (period === null) throw periodInvalid('period', request.period);
  const summary = await summarize(ctx, { ...settings, period, now_ms: ctx.clock.now_ms() });
  if (summary.charge_count > STATEMENT_CHARGES_MAX) {
    throw new DomainError<UsageBasedErrorCode>(
      'statement_too_large',
      `The statement of ${period.key} has ${summary.charge_count} charges, more than the ` +
        `${STATEMENT_CHARGES_MAX} one statement lists; export them with tollgate usage export.`,
      { param: 'period' },
    );
  }
  const charges: StatementCharge[] = [];
  let after: { at_ms: bigint; id: string } | null = null;
  while (charges.length < summary.charge_count) {
    const rows = await chargePage(ctx.db, { account_id: request.account_id, period, after });
    if (rows.length === 0) break;
    charges.push(...rows);
    const last = rows[rows.length - 1]!;
    after = { at_ms: last.charged_at_ms, id: last.transfer_id };
  }
  return { ...summary, charges };
}

async function summarize(
  ctx: Ctx,
  s: { account_id: string; time_zone: string; period: CalendarPeriod; now_ms: bigint },
): Promise<StatementSummary> {
  const totals = await ctx.db
    .selectFrom('ledger_transfers')
    .select((eb) => [
      eb.fn.countAll<bigint | string | number>().as('count'),
      eb.fn.sum<bigint | string | number | null>('amount').as('total'),
    ])
    .where('debit_account_id', '=', receivableAccountId(s.account_id))
    .where('created_at_ms', '>=', s.period.start_ms)
    .where('created_at_ms', '<', s.period.end_ms)
    .where('code', '=', TRANSFER_CODES.settle)
    .executeTakeFirstOrThrow();
  return {
    account_id: s.account_id,
    period: s.period.key,
    time_zone: s.time_zone,
    start_ms: s.period.start_ms,
    end_ms: s.period.end_ms,
    status: s.now_ms < s.period.end_ms ? 'open' : 'closed',
    charge_count: Number(totals.count),
    total_micro_usd: BigInt(totals.total ?? 0),
  };
}

async function chargePage(
  db: Kysely<DB>,
  page: {
    account_id: string;
    period: CalendarPeriod;
    after: { at_ms: bigint; id: string } | null;
  },
): Promise<StatementCharge[]> {
  let query = db
    .selectFrom('ledger_transfers as t')
    .leftJoin('jobs as j', 'j.id', 't.reference')
    .select([
      't.id as transfer_id',
      't.reference',
      't.created_at_ms',
      't.amount',
      'j.kind',
      'j.product',
      'j.sku',
      'j.api_key_id',
      'j.duration_ms',
    ])
    .where('t.debit_account_id', '=', receivableAccountId(page.account_id))
    .where('t.created_at_ms', '>=', page.period.start_ms)
    .where('t.created_at_ms', '<', page.period.end_ms)
    .where('t.code', '=', TRANSFER_CODES.settle);
  const after = page.after;
  if (after !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('t.created_at_ms', '>', after.at_ms),
        eb.and([eb('t.created_at_ms', '=', after.at_ms), eb('t.id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('t.created_at_ms')
    .orderBy('t.id')
    .limit(CHARGE_PAGE_SIZE)
    .execute();
  return rows.map((row) => ({
    transfer_id: row.transfer_id,
    job_id: row.reference ?? row.transfer_id,
    kind: row.kind,
    product: row.product,
    sku: row.sku,
    api_key_id: row.api_key_id,
    duration_ms: row.duration_ms,
    charged_at_ms: row.created_at_ms,
    amount_micro_usd: row.amount,
  }));
}
