/**
 * The few differences between SQLite and PostgreSQL, kept in one place. SQLite has one writer at
 * a time, so a row lock is implied by the write transaction; PostgreSQL needs `FOR UPDATE`, which
 * Kysely's SQLite compiler would emit verbatim and SQLite's grammar rejects. A list of ids is
 * bound as ONE parameter, so the statement text does not depend on the list's length.
 */
import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from './connect.ts';

export function lockRowsForUpdate<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

export function lockRowsSkipLocked<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * `column IN ids` with the whole list bound as one parameter: a JSON array read by `json_each`
 * on SQLite, a `text[]` on PostgreSQL. The SQL text is the same for any number of ids, so a
 * cached prepared statement is reused and no list has to be split to respect the limit on bound
 * parameters. An empty list matches no row.
 */
export function whereIdIn(
  dialect: Dialect,
  column: string,
  ids: readonly string[],
): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${ids}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
}

/** Largest number of bound parameters one statement may carry on both dialects. */
export const BOUND_PARAMETERS_MAX = 30_000;

/** PostgreSQL errors after which a whole transaction may simply be run again. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
