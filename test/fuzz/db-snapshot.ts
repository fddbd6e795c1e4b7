/**
 * What a request may have written, in one comparable value: the row count of every table in the
 * database (found from the catalog, so tables added later are covered) and the ledger's column
 * sums. Two equal snapshots around a 4xx show it wrote nothing that counts.
 */
import { sql } from 'kysely';
import type { TestContext, TestDialect } from '../harness.ts';

export type DbSnapshot = Record<string, string>;

/**
 * Tables a refused request writes by design: a failed sign-in is recorded so that sign-in can be
 * rate-limited (`users/sign-in.ts`); that row is the refusal's purpose, not a leaked write.
 */
const WRITTEN_BY_REFUSALS = new Set(['sign_in_attempts']);

async function tableNames(ctx: TestContext, dialect: TestDialect): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`;
  const { rows } = await query.execute(ctx.db);
  return rows.map((row) => row.name).sort();
}

export async function snapshotDb(ctx: TestContext, dialect: TestDialect): Promise<DbSnapshot> {
  const snapshot: DbSnapshot = {};
  for (const name of await tableNames(ctx, dialect)) {
    if (WRITTEN_BY_REFUSALS.has(name)) continue;
    const { rows } = await sql<{
      n: unknown;
    }>`select count(*) as n from ${sql.table(name)}`.execute(ctx.db);
    snapshot[name] = String(rows[0]?.n);
  }
  const { rows } = await sql<Record<string, unknown>>`
    select sum(debits_pending) as debits_pending, sum(debits_posted) as debits_posted,
           sum(credits_pending) as credits_pending, sum(credits_posted) as credits_posted
    from ledger_accounts`.execute(ctx.db);
  for (const [column, value] of Object.entries(rows[0] ?? {})) {
    snapshot[`ledger_accounts.${column}`] = String(value);
  }
  return snapshot;
}
