/**
 * The query plans of batch admission on SQLite. SQLite plans without statistics, so a plan seen
 * on a small test database is the plan a database of millions of jobs gets: an admission that
 * reads every job instead of its accounts' jobs is fast here and hangs there (it did: the slot
 * count once read every top-level job through `jobs_parent_created`).
 */
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { PHOTO_720P, submit } from '../../../test/videos.ts';

type Statement = Record<string, (this: { source: string }, ...args: unknown[]) => unknown>;

/** Every SQL text better-sqlite3 runs while `fn` runs, on any connection. */
async function statementsRunBy(fn: () => Promise<unknown>): Promise<string[]> {
  const probe = new SQLite(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('select 1')) as Statement;
  probe.close();
  const seen = new Set<string>();
  const originals = new Map<string, Statement[string]>();
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = prototype[method]!;
    originals.set(method, original);
    prototype[method] = function (this: { source: string }, ...args: unknown[]) {
      seen.add(this.source);
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    for (const [method, original] of originals) prototype[method] = original;
  }
  return [...seen];
}

/** The plan of `sql` on `file`, each `?` bound to null (a plan does not depend on values). */
function planOf(file: string, sql: string): string[] {
  const database = new SQLite(file, { readonly: true });
  try {
    const parameters = Array.from(sql.matchAll(/\?/g), () => null);
    const rows = database.prepare(`explain query plan ${sql}`).all(...parameters) as {
      detail: string;
    }[];
    return rows.map((row) => row.detail);
  } finally {
    database.close();
  }
}

describe('batch admission query plans on SQLite', () => {
  const t = useServer('sqlite', { customer: { paid_micro_usd: 50_000_000n } });

  it("reads the batch's accounts' jobs through an index on the account, never every job", async () => {
    const statements = await statementsRunBy(async () => {
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => submit(t.app, t.ada, PHOTO_720P)),
      );
      for (const res of responses) expect(res.statusCode, res.body).toBe(200);
    });
    const onJobs = statements.filter(
      (sql) => /\bfrom "?jobs"?\b/i.test(sql) && !/^\s*(insert|update|delete)/i.test(sql),
    );
    const slotCount = onJobs.filter((sql) => /count\(\*\)/i.test(sql));
    expect(slotCount.length, 'the admission counted its slots').toBeGreaterThan(0);
    const file = t.ctx.database_file!;
    for (const sql of onJobs) {
      const plan = planOf(file, sql).join(' | ');
      expect(plan, sql).not.toMatch(/\bSCAN jobs\b/);
      expect(plan, sql).not.toContain('jobs_parent_created');
    }
    for (const sql of slotCount) {
      expect(planOf(file, sql).join(' | '), sql).toContain('jobs_account_status');
    }
    await expectLedgerBalanced(t.ctx);
  });
});
