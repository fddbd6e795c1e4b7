/**
 * Fast inserts into SQLite for building the scale database: rows are buffered per table and
 * written by one cached multi-row INSERT per full chunk (a single-row one for the tail), inside
 * the caller's transaction. No Tollgate logic: the caller supplies rows in column order.
 */
import type SQLite from 'better-sqlite3';

const ROWS_PER_STATEMENT = 50;

export type BulkTable = {
  push: (row: readonly unknown[]) => void;
  flush: () => void;
  count: () => number;
};

export function bulkTable(
  sqlite: SQLite.Database,
  table: string,
  columns: readonly string[],
): BulkTable {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const text = (rows: number) =>
    `insert into ${table} (${columns.join(',')}) values ${Array(rows).fill(tuple).join(',')}`;
  const many = sqlite.prepare(text(ROWS_PER_STATEMENT));
  const one = sqlite.prepare(text(1));
  let buffer: unknown[] = [];
  let buffered = 0;
  let written = 0;
  const flushFull = () => {
    many.run(buffer);
    written += buffered;
    buffer = [];
    buffered = 0;
  };
  return {
    push: (row) => {
      if (row.length !== columns.length) throw new Error(`${table}: row of ${row.length} values`);
      for (const value of row) buffer.push(value);
      buffered++;
      if (buffered === ROWS_PER_STATEMENT) flushFull();
    },
    flush: () => {
      for (let i = 0; i < buffered; i++)
        one.run(buffer.slice(i * columns.length, (i + 1) * columns.length));
      written += buffered;
      buffer = [];
      buffered = 0;
    },
    count: () => written + buffered,
  };
}
