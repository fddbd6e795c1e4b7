/**
 * Progress of one long set-based statement (a full scan that feeds a sort), reported while the
 * statement runs. SQLite runs a statement synchronously inside one call, so nothing else can
 * observe it; instead the statement itself calls the SQL function `tollgate_progress(token,
 * rowid)` (registered on every SQLite connection by `connect.ts`) once per `SCAN_PROGRESS_ROWS`
 * rows, and the function hands the rowid to the watcher registered under `token`. PostgreSQL
 * has no such hook: its term is `true` and the caller reports progress between statements.
 * Watchers live only while their statement runs (`stop` removes them), so the registry is
 * bounded by the number of statements running at once.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from './connect.ts';

/** Rows between two calls of the progress function: a call per 64 Ki rows costs nothing. */
export const SCAN_PROGRESS_ROWS = 65_536;
export const SCAN_PROGRESS_FUNCTION = 'tollgate_progress';

const watchers = new Map<number, (rowid: bigint) => void>();
let nextToken = 1;

/** What `connect.ts` registers as the SQL function: always true, so it never filters a row. */
export function reportScanProgress(token: unknown, rowid: unknown): number {
  if (typeof token === 'bigint' || typeof token === 'number') {
    watchers.get(Number(token))?.(BigInt(rowid as bigint | number));
  }
  return 1;
}

export type ScanWatch = {
  /** A condition to AND into the scan's WHERE clause; true for every row. */
  term: (rowid: RawBuilder<unknown>) => RawBuilder<SqlBool>;
  stop: () => void;
};

/** Starts watching one scan; `on_rowid` gets the rowid the scan has reached (SQLite only). */
export function watchScan(dialect: Dialect, on_rowid: (rowid: bigint) => void): ScanWatch {
  if (dialect === 'postgres') return { term: () => sql<SqlBool>`true`, stop: () => {} };
  const token = nextToken++;
  watchers.set(token, on_rowid);
  return {
    term: (rowid) =>
      sql<SqlBool>`((${rowid} % ${sql.lit(SCAN_PROGRESS_ROWS)}) <> 0 or ${sql.raw(SCAN_PROGRESS_FUNCTION)}(${token}, ${rowid}))`,
    stop: () => {
      watchers.delete(token);
    },
  };
}
