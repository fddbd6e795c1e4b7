import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { PHOTO_720P } from '../../test/videos.ts';
import type { Database } from '../db/connect.ts';
import { openPostgres, openSqlite } from '../db/connect.ts';
import { submitVideo } from '../jobs/submit.ts';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { runJobWorkerTick } from '../jobs/worker.ts';
import { reconcileLedger } from './reconcile.ts';

const ADMISSION_ROUNDS = 12;
const ADMISSIONS_PER_ROUND = 6;

// Reconcile runs on a connection of its own, as `tollgate reconcile` does from another process,
// while admissions and settlements commit on the gateway's. Every read of one run is in one
// snapshot, so a run never sees a balance without the transfer that moved it.
describe.each(dialects)('reconcile under load on %s', (dialect) => {
  let ctx: TestContext;
  let reader: Database;
  let customers: Customer[];

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    reader =
      dialect === 'sqlite' ? openSqlite(ctx.database_file!) : openPostgres(ctx.database_url!, 2);
    customers = [];
    for (const username of ['ada', 'bob', 'cy']) {
      customers.push(await createCustomer(ctx, { username, paid_micro_usd: 100_000_000n }));
    }
  });

  afterEach(async () => {
    await reader.db.destroy();
    await expectLedgerBalanced(ctx);
    await ctx.close();
  });

  async function load(): Promise<void> {
    for (let round = 0; round < ADMISSION_ROUNDS; round++) {
      const admissions = Array.from({ length: ADMISSIONS_PER_ROUND }, (_, index) => {
        const customer = customers[index % customers.length]!;
        return submitVideo(ctx, {
          account_id: customer.account_id,
          input: PHOTO_720P as CreateVideoInput,
        });
      });
      await Promise.all([...admissions, runJobWorkerTick(ctx)]);
    }
    while ((await runJobWorkerTick(ctx)) > 0) {}
  }

  it('a reconcile run while jobs are admitted and settled is always clean', async () => {
    let loading = true;
    const reports: boolean[] = [];
    const reconciling = (async () => {
      while (loading || reports.length < 3) {
        const report = await reconcileLedger(reader.db, { page_size: 4 });
        reports.push(report.ok);
        // better-sqlite3 answers synchronously: let the timers of the group commit run.
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (!report.ok) expect(report).toEqual({ ok: true });
      }
    })();
    await load().finally(() => {
      loading = false;
    });
    await reconciling;
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.every((ok) => ok)).toBe(true);
  });

  it('a reconcile run in its snapshot still finds a balance edited outside a transfer', async () => {
    await load();
    const wallet = `wallet:${customers[0]!.account_id}:paid`;
    await ctx.db
      .updateTable('ledger_accounts')
      .set((eb) => ({ debits_posted: eb('debits_posted', '+', 1n) }))
      .where('id', '=', wallet)
      .execute();
    const report = await reconcileLedger(reader.db);
    expect(report.ok).toBe(false);
    expect(report.drifts.map((d) => [d.account_id, d.field])).toEqual([[wallet, 'debits_posted']]);
    await ctx.db
      .updateTable('ledger_accounts')
      .set((eb) => ({ debits_posted: eb('debits_posted', '-', 1n) }))
      .where('id', '=', wallet)
      .execute();
  });
});
