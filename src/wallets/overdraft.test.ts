import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { createAccount, setOverdraftLimit } from '../accounts/accounts.ts';
import { withTransaction } from '../context.ts';
import { getWalletBalance } from './balance.ts';
import { grantFunds } from './grants.ts';
import { listWalletHistory } from './history.ts';
import { holdFunds, settleHold } from './holds.ts';

const HOLD_MICRO_USD = 250_000n;
const PRICE_MICRO_USD = 400_000n;
const JOBS = 4;

describe.each(dialects)('overruns bounded by the overdraft limit on %s', (dialect) => {
  let ctx: TestContext;
  let account_id: string;

  async function openWallet(paid_micro_usd: bigint, overdraft_limit_micro_usd: bigint) {
    account_id = await withTransaction(ctx, async (tx) => {
      const account = await createAccount(tx, {
        username: 'ada',
        email: null,
        first_name: null,
        last_name: null,
        existing_avatar_iii_customer: false,
        enterprise: false,
        concurrency_limit: null,
        overdraft_limit_micro_usd,
      });
      await grantFunds(tx, {
        account_id: account.id,
        kind: 'paid',
        amount_micro_usd: paid_micro_usd,
        memo: null,
      });
      return account.id;
    });
  }

  const hold = (hold_id: string, amount_micro_usd: bigint) =>
    ctx.committer.run((tx) =>
      holdFunds(tx, { account_id, hold_id, amount_micro_usd, timeout_ms: 60_000n }),
    );
  const settle = (hold_id: string, amount_micro_usd: bigint) =>
    ctx.committer.run((tx) => settleHold(tx, { hold_id, amount_micro_usd }));
  const writtenOff = async () => {
    const entries = await listWalletHistory(ctx, { account_id, limit: 100, after: null });
    return entries.filter((e) => e.kind === 'write_off');
  };

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
  });

  afterEach(async () => {
    await expectLedgerBalanced(ctx);
    await ctx.close();
  });

  it('concurrent overrunning jobs take the wallet no lower than minus the limit; the rest is written off', async () => {
    await openWallet(1_000_000n, 300_000n);
    const ids = Array.from({ length: JOBS }, (_, index) => `job${index}`);
    await Promise.all(ids.map((id) => hold(id, HOLD_MICRO_USD)));
    expect(await Promise.all(ids.map((id) => settle(id, PRICE_MICRO_USD)))).toEqual(
      ids.map(() => 'resolved'),
    );
    const balance = await getWalletBalance(ctx.db, account_id);
    expect(balance.posted_micro_usd).toBe(-300_000n);
    expect(balance.held_micro_usd).toBe(0n);
    const writeOffs = await writtenOff();
    const writtenOffTotal = writeOffs.reduce((total, e) => total + e.amount_micro_usd, 0n);
    const paid = 1_000_000n - balance.posted_micro_usd;
    expect(paid + writtenOffTotal).toBe(PRICE_MICRO_USD * BigInt(JOBS));
    expect(writeOffs.every((e) => e.direction === 'credit' && ids.includes(e.reference!))).toBe(
      true,
    );
  });

  it('an overrun never eats another job’s hold: that job is charged in full, with no write-off', async () => {
    await openWallet(500_000n, 0n);
    await hold('big', HOLD_MICRO_USD);
    await hold('small', HOLD_MICRO_USD);
    await settle('big', PRICE_MICRO_USD);
    await settle('small', 200_000n);
    expect((await getWalletBalance(ctx.db, account_id)).posted_micro_usd).toBe(
      500_000n - 250_000n - 200_000n,
    );
    const writeOffs = await writtenOff();
    expect(writeOffs.map((e) => [e.reference, e.amount_micro_usd])).toEqual([
      ['big', PRICE_MICRO_USD - 250_000n],
    ]);
  });

  it('with the default limit of 0 a wallet is never taken below zero, and a settle retried is charged once', async () => {
    await openWallet(300_000n, 0n);
    await hold('job', HOLD_MICRO_USD);
    await settle('job', PRICE_MICRO_USD);
    await settle('job', PRICE_MICRO_USD);
    expect((await getWalletBalance(ctx.db, account_id)).posted_micro_usd).toBe(0n);
    expect((await writtenOff()).map((e) => e.amount_micro_usd)).toEqual([100_000n]);
  });

  it('a raised limit lets a later overrun go further below zero, and only down to it', async () => {
    await openWallet(250_000n, 0n);
    await withTransaction(ctx, (tx) =>
      setOverdraftLimit(tx, { account_id, overdraft_limit_micro_usd: 100_000n }),
    );
    await hold('job', HOLD_MICRO_USD);
    await settle('job', 1_000_000n);
    expect((await getWalletBalance(ctx.db, account_id)).posted_micro_usd).toBe(-100_000n);
    expect((await writtenOff()).map((e) => e.amount_micro_usd)).toEqual([650_000n]);
  });
});
