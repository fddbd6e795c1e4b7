import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, dialects, type TestContext } from '../../test/harness.ts';
import { TRANSFER_FLAGS } from './codes.ts';
import { reconcileLedger } from './reconcile.ts';
import { account, setupAccounts, submit, transfer, wallet } from './test-support.ts';

describe.each(dialects)('reconcile on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    await setupAccounts(ctx, [account('cash'), account('revenue'), wallet('w')]);
    await submit(ctx, [
      transfer('fund', { debit_account_id: 'cash', credit_account_id: 'w', amount: 100n }),
      transfer('hold', {
        debit_account_id: 'w',
        credit_account_id: 'revenue',
        amount: 60n,
        flags: TRANSFER_FLAGS.pending,
      }),
    ]);
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('a consistent ledger reconciles with zero drift and balanced currencies', async () => {
    const report = await reconcileLedger(ctx.db, { page_size: 2 });
    expect(report.ok).toBe(true);
    expect(report.transfers_checked).toBe(2);
    expect(report.accounts_checked).toBeGreaterThanOrEqual(3);
    expect(report.currencies.find((c) => c.currency === 'usd_micro')).toMatchObject({
      debits_posted: 100n,
      credits_posted: 100n,
      debits_pending: 60n,
      credits_pending: 60n,
    });
  });

  it('progress follows the scan of the transfer log from nothing to its end', async () => {
    const calls: Array<[number, number]> = [];
    const report = await reconcileLedger(ctx.db, {
      on_progress: (done, total) => calls.push([done, total]),
    });
    expect(report.ok).toBe(true);
    expect(calls[0]).toEqual([0, 2]);
    expect(calls[calls.length - 1]).toEqual([2, 2]);
  });

  it('a balance edited outside a transfer is reported as drift and unbalances its currency', async () => {
    await ctx.db
      .updateTable('ledger_accounts')
      .set({ credits_posted: 101n })
      .where('id', '=', 'w')
      .execute();
    const report = await reconcileLedger(ctx.db);
    expect(report.ok).toBe(false);
    expect(report.drifts).toEqual([
      { account_id: 'w', field: 'credits_posted', stored: 101n, computed: 100n },
    ]);
    expect(report.unbalanced_currencies.map((c) => c.currency)).toEqual(['usd_micro']);
  });

  it('a pending state flipped without a transfer is reported as drift', async () => {
    await ctx.db
      .updateTable('ledger_pending')
      .set({ status: 'voided' })
      .where('transfer_id', '=', 'hold')
      .execute();
    const report = await reconcileLedger(ctx.db);
    expect(report.drifts.map((d) => [d.account_id, d.field])).toEqual([
      ['revenue', 'credits_pending'],
      ['w', 'debits_pending'],
    ]);
  });

  it('a no-overdraft account below zero without an overrun is reported', async () => {
    await ctx.db
      .insertInto('ledger_transfers')
      .values({
        id: 'sneaky',
        debit_account_id: 'w',
        credit_account_id: 'revenue',
        amount: 500n,
        pending_id: null,
        flags: 0n,
        timeout_ms: 0n,
        code: 99n,
        reference: null,
        currency: 'usd_micro',
        created_at_ms: 0n,
      })
      .execute();
    await ctx.db
      .updateTable('ledger_accounts')
      .set({ debits_posted: 500n })
      .where('id', '=', 'w')
      .execute();
    await ctx.db
      .updateTable('ledger_accounts')
      .set({ credits_posted: 500n })
      .where('id', '=', 'revenue')
      .execute();
    const report = await reconcileLedger(ctx.db);
    expect(report.drifts).toEqual([]);
    expect(report.overdrafts).toEqual([
      { account_id: 'w', below_zero_by: 460n, overrun_total: 0n },
    ]);
    expect(report.ok).toBe(false);
  });
});
