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
import { holdFunds, settleHold, voidHold } from './holds.ts';

describe.each(dialects)('wallet holds on %s', (dialect) => {
  let ctx: TestContext;
  let account_id: string;

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    account_id = await withTransaction(ctx, async (tx) => {
      const account = await createAccount(tx, {
        username: 'ada',
        email: null,
        first_name: null,
        last_name: null,
        existing_avatar_iii_customer: false,
        enterprise: false,
        concurrency_limit: null,
      });
      await grantFunds(tx, {
        account_id: account.id,
        kind: 'promotional',
        amount_micro_usd: 1_000_000n,
        memo: null,
      });
      await grantFunds(tx, {
        account_id: account.id,
        kind: 'paid',
        amount_micro_usd: 4_000_000n,
        memo: null,
      });
      return account.id;
    });
  });

  afterEach(async () => {
    await expectLedgerBalanced(ctx);
    await ctx.close();
  });

  const hold = (hold_id: string, amount_micro_usd: bigint) =>
    withTransaction(ctx, (tx) =>
      holdFunds(tx, { account_id, hold_id, amount_micro_usd, timeout_ms: 60_000n }),
    );
  const settle = (hold_id: string, amount_micro_usd: bigint) =>
    withTransaction(ctx, (tx) => settleHold(tx, { hold_id, amount_micro_usd }));
  const balance = () => getWalletBalance(ctx.db, account_id);

  it('a hold draws promotional credit before paid and reduces available by the hold', async () => {
    await hold('job1', 1_500_000n);
    const b = await balance();
    expect(b.available_micro_usd).toBe(3_500_000n);
    expect(b.held_micro_usd).toBe(1_500_000n);
    expect(b.available_by_kind_micro_usd).toEqual({ promotional: 0n, paid: 3_500_000n });
  });

  it('settling charges exactly the actual price and releases the rest', async () => {
    await hold('job1', 1_500_000n);
    await settle('job1', 1_200_001n);
    const b = await balance();
    expect(b).toMatchObject({
      available_micro_usd: 3_799_999n,
      held_micro_usd: 0n,
      settled_micro_usd: 1_200_001n,
    });
    expect(b.available_by_kind_micro_usd).toEqual({ promotional: 0n, paid: 3_799_999n });
  });

  it('a settle above the hold charges the overrun down to minus the overdraft limit; no job is admitted below zero', async () => {
    await withTransaction(ctx, (tx) =>
      setOverdraftLimit(tx, { account_id, overdraft_limit_micro_usd: 250_000n }),
    );
    await hold('job1', 5_000_000n);
    await settle('job1', 5_400_000n);
    expect((await balance()).available_micro_usd).toBe(-250_000n);
    await expect(hold('job2', 1n)).rejects.toMatchObject({ code: 'insufficient_balance' });
  });

  it('a void releases everything and a repeated settle or void is a no-op', async () => {
    await hold('job1', 2_000_000n);
    await withTransaction(ctx, (tx) => voidHold(tx, { hold_id: 'job1' }));
    await withTransaction(ctx, (tx) => voidHold(tx, { hold_id: 'job1' }));
    expect((await balance()).available_micro_usd).toBe(5_000_000n);
    await expect(settle('job1', 10n)).rejects.toMatchObject({ code: 'hold_already_resolved' });
    await hold('job2', 100n);
    await settle('job2', 60n);
    await settle('job2', 60n);
    expect((await balance()).settled_micro_usd).toBe(60n);
  });

  it('a hold larger than available is refused with required and available, writing nothing', async () => {
    await expect(hold('job1', 5_000_001n)).rejects.toMatchObject({
      code: 'insufficient_balance',
      details: { required_micro_usd: 5_000_001n, available_micro_usd: 5_000_000n },
    });
    expect((await balance()).held_micro_usd).toBe(0n);
  });

  it('a two-part hold that expired settles as expired, releasing both parts', async () => {
    await hold('job1', 3_000_000n);
    ctx.clock.advance(60_000n);
    expect(await settle('job1', 3_000_000n)).toBe('expired');
    expect(await balance()).toMatchObject({ available_micro_usd: 5_000_000n, held_micro_usd: 0n });
  });

  it('a settle after the hold expired is refused and charges nothing', async () => {
    await hold('job1', 1_000n);
    ctx.clock.advance(60_000n);
    expect(await settle('job1', 1_000n)).toBe('expired');
    expect((await balance()).available_micro_usd).toBe(5_000_000n);
  });
});
