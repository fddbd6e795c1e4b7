/**
 * A statement as CSV (through `csv-stringify`): a header row, then one row per line, oldest
 * first, with the amount as a decimal USD string and as exact micro-USD; a refund's row has a
 * negative amount and `type` `refund` (the column is last, so readers of the columns before it
 * are unaffected). The total is the sum of the `amount_micro_usd` column; it is not repeated as a
 * row, so every row is a charge or a refund.
 */
import { stringify } from 'csv-stringify/sync';
import { formatMicroUsd } from '../shared/money.ts';
import type { Statement } from './statements.ts';

export const STATEMENT_CSV_COLUMNS = [
  'period',
  'charged_at',
  'job_id',
  'kind',
  'product',
  'sku',
  'api_key_id',
  'duration_ms',
  'amount_usd',
  'amount_micro_usd',
  'type',
] as const;

export function statementCsv(statement: Statement): string {
  const rows = statement.charges.map((charge) => [
    statement.period,
    new Date(Number(charge.charged_at_ms)).toISOString(),
    charge.job_id,
    charge.kind ?? '',
    charge.product ?? '',
    charge.sku ?? '',
    charge.api_key_id ?? '',
    charge.duration_ms === null ? '' : String(charge.duration_ms),
    formatMicroUsd(charge.amount_micro_usd),
    String(charge.amount_micro_usd),
    charge.type,
  ]);
  return stringify([[...STATEMENT_CSV_COLUMNS], ...rows]);
}
