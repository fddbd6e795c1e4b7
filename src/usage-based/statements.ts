/**
 * Statements of a usage-based account: one per month of the account's time zone, listing every
 * charge posted to its receivable in that month (a job is charged in the month it completes in)
 * and every refund credited back to it in that month (a refund lands in the month it is made in,
 * whatever month its charge was in) as a negative line, each with the job it is for, and the
 * total, charges minus refunds. A month that has not ended is `open` (charges may still
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
  refund_count: number;
  charged_micro_usd: bigint;
  refunded_micro_usd: bigint;
  /** Charges minus refunds; negative when the month's refunds exceed its charges. */
  total_micro_usd: bigint;
};

/** One line of a statement: a charge, or a refund with a negative amount. */
export type StatementCharge = {
  type: LineType;
  transfer_id: string;
  job_id: string;
  kind: string | null;
  product: string | null;
  sku: string | null;
  api_key_id: string | null;
  duration_ms: bigint | null;
  charged_at_ms: bigint;
  /** Negative for a refund. */
  amount_micro_usd: bigint;
};

type LineType = 'charge' | 'refund';

/** Where each line type is on the receivable, and its transfer code. */
const LINE_SIDES = {
  charge: { side: 't.debit_account_id', code: TRANSFER_CODES.settle, sign: 1n },
  refund: { side: 't.credit_account_id', code: TRANSFER_CODES.refund, sign: -1n },
} as const;

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
  const line_count = summary.charge_count + summary.refund_count;
  if (line_count > STATEMENT_CHARGES_MAX) {
    throw new DomainError<UsageBasedErrorCode>(
      'statement_too_large',
      `The statement of ${period.key} has ${line_count} charges and refunds, more than the ` +
        `${STATEMENT_CHARGES_MAX} one statement lists; export them with tollgate usage export.`,
      { param: 'period' },
    );
  }
  const lines = [
    ...(await linesOf(ctx.db, { account_id: request.account_id, period, type: 'charge' })),
    ...(await linesOf(ctx.db, { account_id: request.account_id, period, type: 'refund' })),
  ];
  lines.sort((a, b) =>
    a.charged_at_ms === b.charged_at_ms
      ? a.transfer_id.localeCompare(b.transfer_id)
      : a.charged_at_ms < b.charged_at_ms
        ? -1
        : 1,
  );
  return { ...summary, charges: lines };
}

/** Every line of one type in the period, oldest first, read a page at a time. */
async function linesOf(
  db: Kysely<DB>,
  request: { account_id: string; period: CalendarPeriod; type: LineType },
): Promise<StatementCharge[]> {
  const lines: StatementCharge[] = [];
  let after: { at_ms: bigint; id: string } | null = null;
  for (let page = 0; page <= STATEMENT_CHARGES_MAX / CHARGE_PAGE_SIZE; page++) {
    const rows = await linePage(db, { ...request, after });
    lines.push(...rows);
    if (rows.length < CHARGE_PAGE_SIZE) break;
    const last = rows[rows.length - 1]!;
    after = { at_ms: last.charged_at_ms, id: last.transfer_id };
  }
  return lines;
}

async function summarize(
  ctx: Ctx,
  s: { account_id: string; time_zone: string; period: CalendarPeriod; now_ms: bigint },
): Promise<StatementSummary> {
  const totalsOf = (type: LineType) =>
    ctx.db
      .selectFrom('ledger_transfers as t')
      .select((eb) => [
        eb.fn.countAll<bigint | string | number>().as('count'),
        eb.fn.sum<bigint | string | number | null>('t.amount').as('total'),
      ])
      .where(LINE_SIDES[type].side, '=', receivableAccountId(s.account_id))
      .where('t.created_at_ms', '>=', s.period.start_ms)
      .where('t.created_at_ms', '<', s.period.end_ms)
      .where('t.code', '=', LINE_SIDES[type].code)
      .executeTakeFirstOrThrow();
  const [charges, refunds] = [await totalsOf('charge'), await totalsOf('refund')];
  const charged_micro_usd = BigInt(charges.total ?? 0);
  const refunded_micro_usd = BigInt(refunds.total ?? 0);
  return {
    account_id: s.account_id,
    period: s.period.key,
    time_zone: s.time_zone,
    start_ms: s.period.start_ms,
    end_ms: s.period.end_ms,
    status: s.now_ms < s.period.end_ms ? 'open' : 'closed',
    charge_count: Number(charges.count),
    refund_count: Number(refunds.count),
    charged_micro_usd,
    refunded_micro_usd,
    total_micro_usd: charged_micro_usd - refunded_micro_usd,
  };
}

async function linePage(
  db: Kysely<DB>,
  page: {
    account_id: string;
    period: CalendarPeriod;
    type: LineType;
    after: { at_ms: bigint; id: string } | null;
  },
): Promise<StatementCharge[]> {
  const { side, code, sign } = LINE_SIDES[page.type];
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
    .where(side, '=', receivableAccountId(page.account_id))
    .where('t.created_at_ms', '>=', page.period.start_ms)
    .where('t.created_at_ms', '<', page.period.end_ms)
    .where('t.code', '=', code);
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
    type: page.type,
    transfer_id: row.transfer_id,
    job_id: row.reference ?? row.transfer_id,
    kind: row.kind,
    product: row.product,
    sku: row.sku,
    api_key_id: row.api_key_id,
    // A refund line has no duration of its own: the job's output is on its charge's line.
    duration_ms: page.type === 'charge' ? row.duration_ms : null,
    charged_at_ms: row.created_at_ms,
    amount_micro_usd: sign * row.amount,
  }));
}
