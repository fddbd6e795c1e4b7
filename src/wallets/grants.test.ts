import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import { listAccountEvents } from '../events/events.ts';
import { getWalletBalance } from './balance.ts';
import { expireGrants } from './grant-expiry.ts';
import { listGrants } from './grant-list.ts';
import { grantFunds, type NewGrant } from './grants.ts';
import { listWalletHistory } from './history.ts';
import { holdFunds, settleHold, voidHold } from './holds.ts';

const HOUR_MS = 3_600_000n;

describe.each(dialects)('grants with terms on %s', (dialect) => {
  const t = useTestContext(dialect);

  async function customer() {
    return (await createCustomer(t.ctx)).account_id;
  }
  const grant = (account_id: string, terms: Omit<NewGrant, 'account_id'>) => {
    t.ctx.clock.advance(1n);
    return withTransaction(t.ctx, (tx) => grantFunds(tx, { account_id, ...terms }));
  };
  const hold = (account_id: string, hold_id: string, amount_micro_usd: bigint) =>
    withTransaction(t.ctx, (tx) =>
      holdFunds(tx, { account_id, hold_id, amount_micro_usd, timeout_ms: 10n * HOUR_MS }),
    );
  const settle = (hold_id: string, amount_micro_usd: bigint) =>
    withTransaction(t.ctx, (tx) => settleHold(tx, { hold_id, amount_micro_usd }));
  const grantsOf = async (account_id: string) =>
    new Map(
      (await listGrants(t.ctx, { account_id, limit: 100, after: null })).map((g) => [g.id, g]),
    );
  const expire = () => withTransaction(t.ctx, (tx) => expireGrants(tx, { limit: 100 }));

  it('spending draws promotional before paid, then higher priority, then sooner expiry, then older', async () => {
    const account_id = await customer();
    const now = t.ctx.clock.now_ms();
    const paidOld = await grant(account_id, { kind: 'paid', amount_micro_usd: 1_000n, memo: 'a' });
    const paidSoon = await grant(account_id, {
      kind: 'paid',
      amount_micro_usd: 1_000n,
      memo: 'b',
      expires_at_ms: now + HOUR_MS,
    });
    const promoLow = await grant(account_id, {
      kind: 'promotional',
      amount_micro_usd: 1_000n,
      memo: 'c',
      priority: 0,
    });
    const promoHigh = await grant(account_id, {
      kind: 'promotional',
      amount_micro_usd: 1_000n,
      memo: 'd',
      priority: 5,
      source: 'promotion',
    });
    // Each hold takes 600: the order of exhaustion is the draw order.
    const order = [promoHigh, promoLow, paidSoon, paidOld].map((g) => g.id);
    const remaining: string[][] = [];
    for (let index = 0; index < 6; index++) {
      await hold(account_id, `job${index}`, 600n);
      const grants = await grantsOf(account_id);
      remaining.push(order.map((id) => String(grants.get(id)!.remaining_micro_usd)));
    }
    expect(remaining).toEqual([
      ['400', '1000', '1000', '1000'],
      ['0', '800', '1000', '1000'],
      ['0', '200', '1000', '1000'],
      ['0', '0', '600', '1000'],
      ['0', '0', '0', '1000'],
      ['0', '0', '0', '400'],
    ]);
    await expect(hold(account_id, 'job6', 401n)).rejects.toMatchObject({
      code: 'insufficient_balance',
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a hold spanning grants settles in draw order, releases exactly the rest, and closes spent grants', async () => {
    const account_id = await customer();
    const first = await grant(account_id, {
      kind: 'promotional',
      amount_micro_usd: 300n,
      memo: null,
    });
    const second = await grant(account_id, { kind: 'paid', amount_micro_usd: 500n, memo: null });
    const third = await grant(account_id, { kind: 'paid', amount_micro_usd: 1_000n, memo: null });
    await hold(account_id, 'job', 1_200n);
    let grants = await grantsOf(account_id);
    expect([first, second, third].map((g) => grants.get(g.id)!.held_micro_usd)).toEqual([
      300n,
      500n,
      400n,
    ]);
    await settle('job', 700n);
    grants = await grantsOf(account_id);
    expect(
      [first, second, third].map((g) => [
        grants.get(g.id)!.remaining_micro_usd,
        grants.get(g.id)!.held_micro_usd,
        grants.get(g.id)!.status,
      ]),
    ).toEqual([
      [0n, 0n, 'closed'],
      [100n, 0n, 'open'],
      [1_000n, 0n, 'open'],
    ]);
    const balance = await getWalletBalance(t.ctx.db, account_id);
    expect(balance).toMatchObject({
      available_micro_usd: 1_100n,
      held_micro_usd: 0n,
      settled_micro_usd: 700n,
      granted_micro_usd: 1_800n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a grant fully charged by one hold stays open while another hold is on it, and closes with the last', async () => {
    const account_id = await customer();
    const only = await grant(account_id, { kind: 'paid', amount_micro_usd: 1_000n, memo: null });
    await hold(account_id, 'job_a', 600n);
    await hold(account_id, 'job_b', 400n);
    await settle('job_a', 600n);
    expect((await grantsOf(account_id)).get(only.id)!.status).toBe('open');
    await settle('job_b', 400n);
    expect((await grantsOf(account_id)).get(only.id)!).toMatchObject({
      remaining_micro_usd: 0n,
      status: 'closed',
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a settlement charging less than its hold closes the grant an earlier overrun left at zero', async () => {
    const { account_id } = await createCustomer(t.ctx, { overdraft_limit_micro_usd: 1_000n });
    const only = await grant(account_id, { kind: 'paid', amount_micro_usd: 1_000n, memo: null });
    await hold(account_id, 'job_b', 500n);
    await hold(account_id, 'job_a', 500n);
    await settle('job_a', 700n);
    expect((await grantsOf(account_id)).get(only.id)!.status).toBe('open');
    await settle('job_b', 300n);
    expect((await grantsOf(account_id)).get(only.id)!).toMatchObject({
      remaining_micro_usd: 0n,
      status: 'closed',
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a void closes the grant an overrun left at zero once its hold is released, and a partial charge does not', async () => {
    const { account_id } = await createCustomer(t.ctx, { overdraft_limit_micro_usd: 1_000n });
    const only = await grant(account_id, { kind: 'paid', amount_micro_usd: 1_000n, memo: null });
    await hold(account_id, 'job_b', 500n);
    await hold(account_id, 'job_a', 500n);
    await settle('job_a', 1_000n);
    expect((await grantsOf(account_id)).get(only.id)!.status).toBe('open');
    await withTransaction(t.ctx, (tx) => voidHold(tx, { hold_id: 'job_b' }));
    expect((await grantsOf(account_id)).get(only.id)!.status).toBe('closed');
    const other = await grant(account_id, { kind: 'paid', amount_micro_usd: 1_000n, memo: null });
    await hold(account_id, 'job_c', 1_000n);
    await settle('job_c', 999n);
    expect((await grantsOf(account_id)).get(other.id)!).toMatchObject({
      remaining_micro_usd: 1n,
      status: 'open',
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('an overrun on a hold spanning grants is charged on its last part down to the overdraft limit', async () => {
    const account_id = await customer();
    await grant(account_id, { kind: 'promotional', amount_micro_usd: 300n, memo: null });
    await grant(account_id, { kind: 'paid', amount_micro_usd: 500n, memo: null });
    await hold(account_id, 'job', 800n);
    await settle('job', 900n);
    const balance = await getWalletBalance(t.ctx.db, account_id);
    // Overdraft limit 0: the 100 above the wallet is written off.
    expect(balance.available_micro_usd).toBe(0n);
    const history = await listWalletHistory(t.ctx, { account_id, limit: 50, after: null });
    expect(history.filter((e) => e.kind === 'write_off').map((e) => e.amount_micro_usd)).toEqual([
      100n,
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a partly held grant expires only its free part; what a release returns expires on a later tick', async () => {
    const account_id = await customer();
    const now = t.ctx.clock.now_ms();
    const promo = await grant(account_id, {
      kind: 'promotional',
      amount_micro_usd: 1_000n,
      memo: 'Launch promo',
      expires_at_ms: now + HOUR_MS,
    });
    await grant(account_id, { kind: 'paid', amount_micro_usd: 5_000n, memo: null });
    await hold(account_id, 'job', 600n);
    expect(await expire()).toEqual([]);
    t.ctx.clock.advance(HOUR_MS);
    // Past its expiry the free part counts as gone before the sweep runs.
    expect(
      (await getWalletBalance(t.ctx.db, account_id, t.ctx.clock.now_ms())).available_micro_usd,
    ).toBe(5_000n);
    expect(await expire()).toEqual([{ grant_id: promo.id, account_id, amount_micro_usd: 400n }]);
    expect(await expire()).toEqual([]);
    let grants = await grantsOf(account_id);
    expect(grants.get(promo.id)).toMatchObject({
      remaining_micro_usd: 0n,
      held_micro_usd: 600n,
      expired_micro_usd: 400n,
      status: 'open',
    });
    t.ctx.clock.advance(1n);
    await settle('job', 250n);
    expect(await expire()).toEqual([{ grant_id: promo.id, account_id, amount_micro_usd: 350n }]);
    grants = await grantsOf(account_id);
    expect(grants.get(promo.id)).toMatchObject({ expired_micro_usd: 750n, status: 'closed' });
    const balance = await getWalletBalance(t.ctx.db, account_id, t.ctx.clock.now_ms());
    expect(balance).toMatchObject({ available_micro_usd: 5_000n, held_micro_usd: 0n });
    const events = await listAccountEvents(t.ctx.db, account_id, {
      limit: 10,
      after: null,
      type: 'grant.expired',
    });
    expect(events.map((e) => e.payload.amount_micro_usd)).toEqual([350, 400]);
    const history = await listWalletHistory(t.ctx, { account_id, limit: 50, after: null });
    expect(
      history
        .filter((e) => e.kind === 'expiry')
        .map((e) => [e.amount_micro_usd, e.memo, e.grant_id]),
    ).toEqual([
      [350n, 'Launch promo', promo.id],
      [400n, 'Launch promo', promo.id],
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a grant with nothing held expires whole and is closed; a void of a hold on it after expiry expires later', async () => {
    const account_id = await customer();
    const now = t.ctx.clock.now_ms();
    const soon = await grant(account_id, {
      kind: 'paid',
      amount_micro_usd: 2_000n,
      memo: null,
      expires_at_ms: now + HOUR_MS,
    });
    const later = await grant(account_id, {
      kind: 'promotional',
      amount_micro_usd: 700n,
      memo: null,
      expires_at_ms: now + 2n * HOUR_MS,
    });
    await hold(account_id, 'job', 500n);
    t.ctx.clock.advance(HOUR_MS);
    expect(await expire()).toEqual([{ grant_id: soon.id, account_id, amount_micro_usd: 2_000n }]);
    expect((await grantsOf(account_id)).get(soon.id)!.status).toBe('closed');
    t.ctx.clock.advance(HOUR_MS);
    expect(await expire()).toEqual([{ grant_id: later.id, account_id, amount_micro_usd: 200n }]);
    await withTransaction(t.ctx, (tx) => voidHold(tx, { hold_id: 'job' }));
    expect(await expire()).toEqual([{ grant_id: later.id, account_id, amount_micro_usd: 500n }]);
    expect((await getWalletBalance(t.ctx.db, account_id)).available_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('concurrent holds on one wallet spanning grants never overdraw it', async () => {
    const account_id = await customer();
    for (let index = 0; index < 5; index++) {
      await grant(account_id, {
        kind: index % 2 === 0 ? 'paid' : 'promotional',
        amount_micro_usd: 1_000n,
        memo: null,
        priority: index,
      });
    }
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) =>
        t.ctx.committer.run((tx) =>
          holdFunds(tx, {
            account_id,
            hold_id: `job${index}`,
            amount_micro_usd: 700n,
            timeout_ms: HOUR_MS,
          }),
        ),
      ),
    );
    const admitted = results.filter((r) => r.status === 'fulfilled').length;
    expect(admitted).toBe(7);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'insufficient_balance' });
    }
    const balance = await getWalletBalance(t.ctx.db, account_id);
    expect(balance).toMatchObject({ held_micro_usd: 4_900n, available_micro_usd: 100n });
    await expectLedgerBalanced(t.ctx);
  });

  it('terms out of range are refused naming the field', async () => {
    const account_id = await customer();
    await expect(
      grant(account_id, { kind: 'paid', amount_micro_usd: 1n, memo: null, priority: 10_000_000 }),
    ).rejects.toMatchObject({ code: 'grant_terms_invalid', param: 'priority' });
    await expect(
      grant(account_id, {
        kind: 'paid',
        amount_micro_usd: 1n,
        memo: null,
        expires_at_ms: t.ctx.clock.now_ms(),
      }),
    ).rejects.toMatchObject({ code: 'grant_terms_invalid', param: 'expires_at' });
    await expectLedgerBalanced(t.ctx);
  });
});
