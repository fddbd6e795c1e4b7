/**
 * Writes many rows of one table with statement text that does not depend on the exact number of
 * rows. SQLite runs multi-row statements over chunks whose sizes are powers of two, at most
 * `SQLITE_CHUNK_ROWS_MAX` rows: any row count maps to a handful of texts, so the prepared
 * statements come from the connection's cache (`connect.ts`), and no per-row call is paid.
 * PostgreSQL runs ONE statement for all the rows, binding one array per column that `unnest`
 * expands, so the round trip, the parse and the plan are paid once, not per chunk or per value.
 * Table and column names come from code, never from input. Each function asserts the number of
 * rows the database reports as written.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import { assert } from '../shared/assert.ts';
import type { Dialect } from './connect.ts';
import type { DB } from './database.ts';
import { BOUND_PARAMETERS_MAX } from './dialect.ts';

/** The PostgreSQL type of a column's array parameter; SQLite needs none. */
export type ColumnType = 'text' | 'int8';

/**
 * A table and every column of its rows, with types. A `Record` over the row's keys, so the
 * compiler rejects a column list that misses or invents a field.
 */
export type RowTable<Row> = {
  name: string;
  columns: { readonly [K in keyof Row & string]: ColumnType };
};

/** Largest SQLite chunk; a power of two. 256 rows of 11 columns bind 2,816 parameters. */
const SQLITE_CHUNK_ROWS_MAX = 256;

/** SQL text for a chunk of `row_count` rows (PostgreSQL binds all rows at once and ignores it). */
type Statement = {
  sqlOf: (row_count: number) => string;
  columnNames: string[];
};

/**
 * Inserts `rows`. With `upsert`, a row whose `key` already exists has its `update` columns set
 * from the new row instead (`on conflict … do update`).
 */
export async function insertRows<Row>(
  db: Transaction<DB>,
  dialect: Dialect,
  table: RowTable<Row>,
  rows: readonly Row[],
  upsert?: { key: keyof Row & string; update: ReadonlyArray<keyof Row & string> },
): Promise<void> {
  if (rows.length === 0) return;
  const columnNames = Object.keys(table.columns);
  const conflict =
    upsert === undefined
      ? ''
      : ` on conflict (${upsert.key}) do update set ` +
        upsert.update.map((name) => `${name} = excluded.${name}`).join(', ');
  const into = `insert into ${table.name} (${columnNames.join(', ')})`;
  const statement: Statement =
    dialect === 'postgres'
      ? { sqlOf: () => `${into} select * from ${unnestOf(table)}${conflict}`, columnNames }
      : {
          sqlOf: (count) => `${into} values ${tuplesOf(columnNames, count)}${conflict}`,
          columnNames,
        };
  await runForRows(db, dialect, statement, rows);
}

/**
 * Sets the `update` columns of the existing row with the same `key`, for each of `rows` (whose
 * keys must be distinct).
 */
export async function updateRows<Row>(
  db: Transaction<DB>,
  dialect: Dialect,
  table: RowTable<Row>,
  rows: readonly Row[],
  columns: { key: keyof Row & string; update: ReadonlyArray<keyof Row & string> },
): Promise<void> {
  if (rows.length === 0) return;
  const columnNames: string[] = [columns.key, ...columns.update];
  const keyed = { name: table.name, columns: pick(table.columns, columnNames) };
  // SQLite names the columns of a VALUES list column1, column2, … in order.
  const sourceOf = (name: string) =>
    dialect === 'postgres' ? `v.${name}` : `v.column${columnNames.indexOf(name) + 1}`;
  const head =
    `update ${table.name} as t set ` +
    columns.update.map((name) => `${name} = ${sourceOf(name)}`).join(', ') +
    ' from ';
  const where = ` where t.${columns.key} = ${sourceOf(columns.key)}`;
  const statement: Statement =
    dialect === 'postgres'
      ? { sqlOf: () => `${head}${unnestOf(keyed)}${where}`, columnNames }
      : {
          sqlOf: (count) => `${head}(values ${tuplesOf(columnNames, count)}) as v${where}`,
          columnNames,
        };
  await runForRows(db, dialect, statement, rows);
}

/** `unnest($1::text[], $2::int8[], …) as v(col1, col2, …)`, one array parameter per column. */
function unnestOf(table: RowTable<unknown>): string {
  const entries = Object.entries(table.columns) as Array<[string, ColumnType]>;
  const arrays = entries.map(([, type], index) => `$${index + 1}::${type}[]`);
  return `unnest(${arrays.join(', ')}) as v(${entries.map(([name]) => name).join(', ')})`;
}

/** `(?, ?, …), (?, ?, …), …`: `row_count` tuples of one placeholder per column. */
function tuplesOf(columnNames: string[], row_count: number): string {
  const tuple = `(${columnNames.map(() => '?').join(', ')})`;
  return new Array<string>(row_count).fill(tuple).join(', ');
}

function pick<T>(columns: { readonly [name: string]: T }, names: string[]): Record<string, T> {
  return Object.fromEntries(names.map((name) => [name, columns[name]!]));
}

/** Chunk sizes for `row_count` rows: full chunks, then the remainder's binary digits. */
export function sqliteChunkSizesOf(row_count: number): number[] {
  const sizes: number[] = [];
  let left = row_count;
  for (; left >= SQLITE_CHUNK_ROWS_MAX; left -= SQLITE_CHUNK_ROWS_MAX) {
    sizes.push(SQLITE_CHUNK_ROWS_MAX);
  }
  for (let size = SQLITE_CHUNK_ROWS_MAX / 2; size >= 1; size /= 2) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

async function runForRows<Row>(
  db: Transaction<DB>,
  dialect: Dialect,
  statement: Statement,
  rows: readonly Row[],
): Promise<void> {
  assert(
    statement.columnNames.length * SQLITE_CHUNK_ROWS_MAX <= BOUND_PARAMETERS_MAX,
    'db: a chunk would bind too many parameters',
  );
  const fieldOf = (row: Row, name: string) => row[name as keyof Row];
  if (dialect === 'postgres') {
    const parameters = statement.columnNames.map((name) => rows.map((row) => fieldOf(row, name)));
    await runExpecting(
      db,
      CompiledQuery.raw(statement.sqlOf(rows.length), parameters),
      rows.length,
    );
    return;
  }
  let start = 0;
  for (const size of sqliteChunkSizesOf(rows.length)) {
    const parameters: unknown[] = [];
    for (const row of rows.slice(start, start + size)) {
      for (const name of statement.columnNames) parameters.push(fieldOf(row, name));
    }
    await runExpecting(db, CompiledQuery.raw(statement.sqlOf(size), parameters), size);
    start += size;
  }
  assert(start === rows.length, 'db: the chunks do not cover the rows');
}

async function runExpecting(
  db: Transaction<DB>,
  query: CompiledQuery,
  row_count: number,
): Promise<void> {
  const result = await db.executeQuery(query);
  assert(
    result.numAffectedRows === BigInt(row_count),
    `db: expected ${row_count} rows written by ${query.sql.slice(0, 60)}…`,
  );
}
