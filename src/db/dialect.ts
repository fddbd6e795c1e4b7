/**
 * The few differences between SQLite and PostgreSQL, kept in one place. SQLite has one writer at
 * a time, so a row lock is implied by the write transaction; PostgreSQL needs `FOR UPDATE`, which
 * Kysely's SQLite compiler would emit verbatim and SQLite's grammar rejects.
 */
import type { SelectQueryBuilder } from 'kysely';
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

/** Largest number of bound parameters one statement may carry on both dialects. */
export const BOUND_PARAMETERS_MAX = 30_000;

/** PostgreSQL errors after which a whole transaction may simply be run again. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
