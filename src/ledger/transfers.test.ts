import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { withTransaction } from '../context.ts';
import { AMOUNT_MICRO_USD_MAX } from '../shared/money.ts';
import { TRANSFER_FLAGS } from './codes.ts';
import { expirePendingTransfers } from './expire.ts';
import {
  account,
  balancesOf,
  setupAccounts,
  submit,
  transfer,
  transferCount,
  wallet,
} from './test-support.ts';

const { linked, pending, post_pending, void_pending, overrun } = TRANSFER_FLAGS;

describe.each(dialects)('ledger transfers on %s', (dialect) => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    await setupAccounts(ctx, [
      account('cash'),
      account('revenue'),
      wallet('alice'),
      wallet('bob'),
      wallet('credits', 'credit_milli'),
    ]);
    expect(
      await submit(ctx, [
        transfer('fund-alice', {
          debit_account_id: 'cash',
          credit_account_id: 'alice',
          amount: 1_000n,
        }),
      ]),
    ).toEqual(['ok']);
  });

  afterEach(async () => {
    await expectLedgerBalanced(ctx);
    await ctx.close();
  });

  it('a single-phase transfer moves posted balances on both sides', async () => {
    expect(await balancesOf(ctx, 'alice')).toEqual({
      debits_pending: 0n,
      debits_posted: 0n,
      credits_pending: 0n,
      credits_posted: 1_000n,
    });
    expect(await balancesOf(ctx, 'cash')).toMatchObject({
      debits_posted: 1_000n,
      credits_posted: 0n,
    });
  });

  it('a debit beyond the credits of a no-overdraft account is rejected and writes nothing', async () => {
    const before = await transferCount(ctx);
    const results = await submit(ctx, [
      transfer('t1', { debit_account_id: 'alice', credit_account_id: 'revenue', amount: 1_001n }),
    ]);
    expect(results).toEqual(['exceeds_credits']);
    expect(await transferCount(ctx)).toBe(before);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({
      debits_posted: 0n,
      credits_posted: 1_000n,
    });
  });

  it('a pending transfer reserves: later debits see only the available balance', async () => {
    expect(
      await submit(ctx, [
        transfer('hold', {
          debit_account_id: 'alice',
          credit_account_id: 'revenue',
          amount: 700n,
          flags: pending,
        }),
      ]),
    ).toEqual(['ok']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({
      debits_pending: 700n,
      debits_posted: 0n,
    });
    const results = await submit(ctx, [
      transfer('too-much', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 301n,
      }),
      transfer('fits', { debit_account_id: 'alice', credit_account_id: 'revenue', amount: 300n }),
    ]);
    expect(results).toEqual(['exceeds_credits', 'ok']);
  });

  it('posting less than the pending amount charges it and releases the rest', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 700n,
        flags: pending,
      }),
    ]);
    expect(
      await submit(ctx, [
        transfer('settle', { pending_id: 'hold', amount: 450n, flags: post_pending }),
      ]),
    ).toEqual(['ok']);
    expect(await balancesOf(ctx, 'alice')).toEqual({
      debits_pending: 0n,
      debits_posted: 450n,
      credits_pending: 0n,
      credits_posted: 1_000n,
    });
    expect(await balancesOf(ctx, 'revenue')).toMatchObject({
      credits_pending: 0n,
      credits_posted: 450n,
    });
  });

  it('a void releases the whole pending amount and costs nothing', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 700n,
        flags: pending,
      }),
    ]);
    expect(
      await submit(ctx, [
        transfer('void', { pending_id: 'hold', amount: 0n, flags: void_pending }),
      ]),
    ).toEqual(['ok']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_pending: 0n, debits_posted: 0n });
  });

  it('a pending resolves at most once: a second post or void is rejected', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 700n,
        flags: pending,
      }),
    ]);
    await submit(ctx, [
      transfer('settle', { pending_id: 'hold', amount: 700n, flags: post_pending }),
    ]);
    const results = await submit(ctx, [
      transfer('settle-2', { pending_id: 'hold', amount: 700n, flags: post_pending }),
      transfer('void-2', { pending_id: 'hold', amount: 0n, flags: void_pending }),
    ]);
    expect(results).toEqual(['pending_transfer_already_posted', 'pending_transfer_already_posted']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_posted: 700n });
  });

  it('posting more than the pending amount without the overrun flag is rejected', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 100n,
        flags: pending,
      }),
    ]);
    expect(
      await submit(ctx, [
        transfer('settle', { pending_id: 'hold', amount: 101n, flags: post_pending }),
      ]),
    ).toEqual(['exceeds_pending_transfer_amount']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({
      debits_pending: 100n,
      debits_posted: 0n,
    });
  });

  it('an overrun post charges beyond the hold and may take a wallet below zero by that overrun only', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 1_000n,
        flags: pending,
      }),
    ]);
    expect(
      await submit(ctx, [
        transfer('settle', { pending_id: 'hold', amount: 1_250n, flags: post_pending | overrun }),
      ]),
    ).toEqual(['ok']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({
      debits_posted: 1_250n,
      credits_posted: 1_000n,
    });
    expect(
      await submit(ctx, [
        transfer('next', { debit_account_id: 'alice', credit_account_id: 'revenue', amount: 1n }),
      ]),
    ).toEqual(['exceeds_credits']);
  });

  it('the overrun flag is refused on anything but a post', async () => {
    expect(
      await submit(ctx, [
        transfer('t', {
          debit_account_id: 'alice',
          credit_account_id: 'revenue',
          amount: 1n,
          flags: overrun,
        }),
      ]),
    ).toEqual(['overrun_requires_post_pending']);
  });

  it('an expired pending is released by the sweep and can no longer be posted', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 700n,
        flags: pending,
        timeout_ms: 60_000n,
      }),
    ]);
    ctx.clock.advance(59_999n);
    expect(await withTransaction(ctx, (tx) => expirePendingTransfers(tx, { limit: 10 }))).toEqual(
      [],
    );
    ctx.clock.advance(1n);
    const expired = await withTransaction(ctx, (tx) => expirePendingTransfers(tx, { limit: 10 }));
    expect(expired.map((e) => e.transfer_id)).toEqual(['hold']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_pending: 0n, debits_posted: 0n });
    expect(
      await submit(ctx, [
        transfer('settle', { pending_id: 'hold', amount: 700n, flags: post_pending }),
      ]),
    ).toEqual(['pending_transfer_expired']);
  });

  it('a post that arrives after the timeout expires the pending itself', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 700n,
        flags: pending,
        timeout_ms: 1_000n,
      }),
    ]);
    ctx.clock.advance(1_000n);
    expect(
      await submit(ctx, [
        transfer('settle', { pending_id: 'hold', amount: 700n, flags: post_pending }),
      ]),
    ).toEqual(['pending_transfer_expired']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_pending: 0n, debits_posted: 0n });
  });

  it('the same id with the same fields is exists; with other fields a code naming the difference', async () => {
    const first = transfer('t', {
      debit_account_id: 'alice',
      credit_account_id: 'revenue',
      amount: 10n,
    });
    expect(await submit(ctx, [first])).toEqual(['ok']);
    expect(
      await submit(ctx, [
        first,
        { ...first, amount: 11n },
        { ...first, credit_account_id: 'bob' },
        { ...first, reference: 'job' },
      ]),
    ).toEqual([
      'exists',
      'exists_with_different_amount',
      'exists_with_different_credit_account_id',
      'exists_with_different_reference',
    ]);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_posted: 10n });
  });

  it('a duplicate post of the same settlement id is exists and charges once', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 700n,
        flags: pending,
      }),
    ]);
    const settle = transfer('settle', { pending_id: 'hold', amount: 600n, flags: post_pending });
    expect(await submit(ctx, [settle, settle])).toEqual(['ok', 'exists']);
    expect(await submit(ctx, [settle])).toEqual(['exists']);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({
      debits_posted: 600n,
      debits_pending: 0n,
    });
  });

  it('a linked chain applies all or nothing', async () => {
    const results = await submit(ctx, [
      transfer('a', {
        debit_account_id: 'alice',
        credit_account_id: 'bob',
        amount: 500n,
        flags: linked,
      }),
      transfer('b', { debit_account_id: 'bob', credit_account_id: 'revenue', amount: 600n }),
      transfer('c', { debit_account_id: 'alice', credit_account_id: 'revenue', amount: 1n }),
    ]);
    expect(results).toEqual(['linked_event_failed', 'exceeds_credits', 'ok']);
    expect(await balancesOf(ctx, 'bob')).toMatchObject({ credits_posted: 0n, debits_posted: 0n });
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_posted: 1n });
    const chain = await submit(ctx, [
      transfer('d', {
        debit_account_id: 'alice',
        credit_account_id: 'bob',
        amount: 500n,
        flags: linked,
      }),
      transfer('e', { debit_account_id: 'bob', credit_account_id: 'revenue', amount: 500n }),
    ]);
    expect(chain).toEqual(['ok', 'ok']);
  });

  it('a chain left open at the end of a batch fails as a whole', async () => {
    const results = await submit(ctx, [
      transfer('a', {
        debit_account_id: 'alice',
        credit_account_id: 'bob',
        amount: 5n,
        flags: linked,
      }),
      transfer('b', {
        debit_account_id: 'alice',
        credit_account_id: 'bob',
        amount: 5n,
        flags: linked,
      }),
    ]);
    expect(results).toEqual(['linked_event_failed', 'linked_event_chain_open']);
    expect(await transferCount(ctx)).toBe(1);
  });

  it('bad input returns codes and writes nothing', async () => {
    const before = await transferCount(ctx);
    const results = await submit(ctx, [
      transfer('zero', { debit_account_id: 'alice', credit_account_id: 'revenue', amount: 0n }),
      transfer('negative', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: -5n,
      }),
      transfer('huge', {
        debit_account_id: 'cash',
        credit_account_id: 'revenue',
        amount: AMOUNT_MICRO_USD_MAX + 1n,
      }),
      transfer('ghost', { debit_account_id: 'nobody', credit_account_id: 'revenue', amount: 1n }),
      transfer('ghost-2', { debit_account_id: 'alice', credit_account_id: 'nobody', amount: 1n }),
      transfer('mixed', { debit_account_id: 'credits', credit_account_id: 'revenue', amount: 1n }),
      transfer('bad id with spaces', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 1n,
      }),
      transfer('same', { debit_account_id: 'alice', credit_account_id: 'alice', amount: 1n }),
      transfer('phases', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 1n,
        flags: pending | post_pending,
      }),
      transfer('no-pending', { amount: 1n, flags: post_pending }),
      transfer('unknown-pending', { pending_id: 'nope', amount: 1n, flags: post_pending }),
      transfer('timeout', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 1n,
        timeout_ms: 5n,
      }),
      transfer('flags', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 1n,
        flags: 1024n,
      }),
      transfer('code', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 1n,
        code: 0n,
      }),
      transfer('bad-account-id', {
        debit_account_id: 'bad id',
        credit_account_id: 'revenue',
        amount: 1n,
      }),
    ]);
    expect(results).toEqual([
      'amount_must_be_positive',
      'amount_must_be_positive',
      'amount_exceeds_maximum',
      'debit_account_not_found',
      'credit_account_not_found',
      'accounts_must_have_the_same_currency',
      'id_invalid',
      'accounts_must_be_different',
      'flags_are_mutually_exclusive',
      'pending_id_required',
      'pending_transfer_not_found',
      'timeout_reserved_for_pending_transfer',
      'flags_invalid',
      'code_invalid',
      'debit_account_id_invalid',
    ]);
    expect(await transferCount(ctx)).toBe(before);
  });

  it('posting a single-phase transfer as if it were pending is rejected', async () => {
    expect(
      await submit(ctx, [
        transfer('settle', { pending_id: 'fund-alice', amount: 1n, flags: post_pending }),
      ]),
    ).toEqual(['pending_transfer_not_pending']);
  });

  it('a post naming accounts other than the pending’s is rejected', async () => {
    await submit(ctx, [
      transfer('hold', {
        debit_account_id: 'alice',
        credit_account_id: 'revenue',
        amount: 10n,
        flags: pending,
      }),
    ]);
    expect(
      await submit(ctx, [
        transfer('settle', {
          pending_id: 'hold',
          debit_account_id: 'bob',
          amount: 10n,
          flags: post_pending,
        }),
      ]),
    ).toEqual(['pending_transfer_has_different_debit_account_id']);
  });

  it('group-committed callers each get their own results after one commit', async () => {
    const calls = Array.from({ length: 40 }, (_, index) =>
      ctx.committer.createTransfers([
        transfer(`h${index}`, {
          debit_account_id: 'alice',
          credit_account_id: 'revenue',
          amount: 30n,
          flags: pending,
        }),
      ]),
    );
    const results = (await Promise.all(calls)).map((r) => r[0]);
    expect(results.filter((r) => r === 'ok')).toHaveLength(33);
    expect(results.filter((r) => r === 'exceeds_credits')).toHaveLength(7);
    expect(await balancesOf(ctx, 'alice')).toMatchObject({ debits_pending: 990n });
  });

  it('a group-committed unit that throws rolls back only itself', async () => {
    const failing = ctx.committer.run(async (tx) => {
      await tx.db
        .insertInto('ledger_accounts')
        .values({
          id: 'temp',
          currency: 'usd_micro',
          code: 99n,
          flags: 0n,
          owner_id: null,
          debits_pending: 0n,
          debits_posted: 0n,
          credits_pending: 0n,
          credits_posted: 0n,
          created_at_ms: 0n,
        })
        .execute();
      throw new Error('boom');
    });
    const passing = ctx.committer.createTransfers([
      transfer('ok', { debit_account_id: 'alice', credit_account_id: 'bob', amount: 1n }),
    ]);
    await expect(failing).rejects.toThrow('boom');
    expect(await passing).toEqual(['ok']);
    expect(
      await ctx.db.selectFrom('ledger_accounts').select('id').where('id', '=', 'temp').execute(),
    ).toEqual([]);
  });

  it('a batch larger than one write chunk applies every transfer, hold and balance', async () => {
    // 601 wallets: more than two SQLite chunks of 256 rows plus a remainder of 89 (64+16+8+1).
    const walletIds = Array.from({ length: 601 }, (_, index) => `w${index}`);
    await setupAccounts(
      ctx,
      walletIds.map((id) => wallet(id)),
    );
    const funding = walletIds.map((id) =>
      transfer(`fund-${id}`, { debit_account_id: 'cash', credit_account_id: id, amount: 50n }),
    );
    expect(await submit(ctx, funding)).toEqual(walletIds.map(() => 'ok'));
    const holds = walletIds.map((id) =>
      transfer(`hold-${id}`, {
        debit_account_id: id,
        credit_account_id: 'revenue',
        amount: 30n,
        flags: pending,
      }),
    );
    expect(await submit(ctx, holds)).toEqual(walletIds.map(() => 'ok'));
    const settles = walletIds.map((id) =>
      transfer(`settle-${id}`, { pending_id: `hold-${id}`, amount: 20n, flags: post_pending }),
    );
    expect(await submit(ctx, settles)).toEqual(walletIds.map(() => 'ok'));
    for (const id of ['w0', 'w255', 'w256', 'w600']) {
      expect(await balancesOf(ctx, id)).toEqual({
        debits_pending: 0n,
        debits_posted: 20n,
        credits_pending: 0n,
        credits_posted: 50n,
      });
    }
    expect(await balancesOf(ctx, 'revenue')).toMatchObject({
      credits_pending: 0n,
      credits_posted: 601n * 20n,
    });
    expect(await transferCount(ctx)).toBe(1 + 601 * 3);
  });
});
