import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openSqlite } from './connect.ts';
import { SCAN_PROGRESS_ROWS, watchScan } from './scan-progress.ts';

describe('scan progress on sqlite', () => {
  let database: Database | null = null;
  afterEach(async () => {
    await database?.db.destroy();
  });

  it('a scan reports every SCAN_PROGRESS_ROWS rows to its own watcher and filters no row', async () => {
    database = openSqlite(':memory:');
    const seen: bigint[] = [];
    const other: bigint[] = [];
    const watch = watchScan('sqlite', (rowid) => seen.push(rowid));
    const idle = watchScan('sqlite', (rowid) => other.push(rowid));
    const rows = SCAN_PROGRESS_ROWS * 2 + 5;
    try {
      const result = await sql<{ n: bigint }>`
        with recursive numbers(x) as (select 1 union all select x + 1 from numbers where x < ${rows})
        select count(*) as n from numbers where ${watch.term(sql`x`)}`.execute(database.db);
      expect(Number(result.rows[0]!.n)).toBe(rows);
    } finally {
      watch.stop();
      idle.stop();
    }
    expect(seen).toEqual([BigInt(SCAN_PROGRESS_ROWS), BigInt(SCAN_PROGRESS_ROWS * 2)]);
    expect(other).toEqual([]);
  });
});
