import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/context.ts';
import { listAccountEvents } from '../../src/events/events.ts';
import { grantFunds } from '../../src/wallets/grants.ts';
import type { Customer } from '../customers.ts';
import { dialects, expectLedgerBalanced, type TestContext } from '../harness.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, PHOTO_720P, submit } from '../videos.ts';

async function lowBalanceEvents(ctx: TestContext, customer: Customer) {
  const events = await listAccountEvents(ctx.db, customer.account_id, {
    limit: 100,
    after: null,
    type: 'balance.low',
  });
  // One fake-clock instant: order by what they report, highest balance (earliest drop) first.
  return events.sort(
    (a, b) => Number(b.payload.available_micro_usd) - Number(a.payload.available_micro_usd),
  );
}

async function topUp(ctx: TestContext, customer: Customer, amount_micro_usd: bigint) {
  await withTransaction(ctx, (tx) =>
    grantFunds(tx, { account_id: customer.account_id, kind: 'paid', amount_micro_usd, memo: null }),
  );
}

describe.each(dialects)('low-balance alerts on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: { paid_micro_usd: 10_000_000n, concurrency_limit: 40 },
    env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' },
  });

  const setThreshold = (value: unknown) =>
    t.app.inject({
      method: 'PATCH',
      url: '/billing/v1/alerts',
      headers: t.ada.headers,
      payload: { low_balance_threshold_usd: value },
    });

  it('many jobs taking the balance below the threshold record ONE balance.low, then a top-up and a new drop record a second', async () => {
    expect((await setThreshold(8)).json().data).toMatchObject({
      low_balance_threshold_usd: '8.00',
      low_balance_threshold_micro_usd: 8_000_000,
      armed: true,
    });
    // $10.00, then $0.75 held per job: below $8.00 from the 3rd job ($7.75) on.
    for (let index = 0; index < 8; index++) {
      expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    }
    const first = await lowBalanceEvents(t.ctx, t.ada);
    expect(first.map((event) => event.payload)).toEqual([
      { threshold_micro_usd: 8_000_000, available_micro_usd: 7_750_000 },
    ]);
    await topUp(t.ctx, t.ada, 10_000_000n); // $4.00 + $10.00 = $14.00, above again
    for (let index = 0; index < 9; index++) {
      expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    }
    const events = await lowBalanceEvents(t.ctx, t.ada);
    expect(events.map((event) => event.payload.available_micro_usd)).toEqual([
      7_750_000, 7_250_000,
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it("a grant expiring under the threshold records balance.low in the expiry's transaction", async () => {
    const HOUR_MS = 3_600_000n;
    await withTransaction(t.ctx, (tx) =>
      grantFunds(tx, {
        account_id: t.ada.account_id,
        kind: 'promotional',
        amount_micro_usd: 5_000_000n,
        memo: 'spring promotion',
        expires_at_ms: t.ctx.clock.now_ms() + HOUR_MS,
      }),
    );
    await setThreshold('12.00'); // $15.00 available: above, armed
    expect(await lowBalanceEvents(t.ctx, t.ada)).toEqual([]);
    t.ctx.clock.advance(HOUR_MS);
    await drainWorker(t.ctx);
    const events = await lowBalanceEvents(t.ctx, t.ada);
    expect(events.map((event) => event.payload)).toEqual([
      { threshold_micro_usd: 12_000_000, available_micro_usd: 10_000_000 },
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('20 concurrent jobs crossing the threshold record exactly one balance.low', async () => {
    await setThreshold('5.00');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => submit(t.app, t.ada, PHOTO_720P)),
    );
    expect(results.filter((res) => res.statusCode === 200)).toHaveLength(13);
    expect(await lowBalanceEvents(t.ctx, t.ada)).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });

  it('a settlement that brings the balance back re-arms the alert, and the next drop alerts again', async () => {
    await setThreshold('9.50');
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200); // $9.25 available
    await drainWorker(t.ctx);
    t.ctx.clock.advance(5_000n);
    await drainWorker(t.ctx); // charged $0.50: $9.50 available, armed again
    const alerts = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/alerts',
      headers: t.ada.headers,
    });
    expect(alerts.json().data.armed).toBe(true);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200); // $8.75
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200); // $8.00
    const events = await lowBalanceEvents(t.ctx, t.ada);
    expect(events.map((event) => event.payload.available_micro_usd)).toEqual([
      9_250_000, 8_750_000,
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a threshold set above the balance, or null, records nothing; null turns the alert off', async () => {
    expect((await setThreshold(20)).json().data.armed).toBe(false);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    expect((await setThreshold(null)).json().data).toMatchObject({
      low_balance_threshold_usd: null,
      armed: true,
    });
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    expect(await lowBalanceEvents(t.ctx, t.ada)).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a bad threshold is a 400 naming low_balance_threshold_usd and changes nothing', async () => {
    for (const value of [-1, '1.0000001', 'ten', true]) {
      const res = await setThreshold(value);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'invalid_parameter',
        param: 'low_balance_threshold_usd',
      });
    }
    expect(await t.ctx.db.selectFrom('balance_watches').selectAll().execute()).toEqual([]);
  });
});
