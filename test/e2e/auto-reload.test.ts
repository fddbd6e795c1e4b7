import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { stripeClientFor } from '../../src/payments/stripe-client.ts';
import { chargeOffSession } from '../../src/reload/charge.ts';
import { paymentMethodForReload } from '../../src/reload/payment-method.ts';
import { performAutoReload, runAutoReloads } from '../../src/reload/perform.ts';
import {
  eventsOf,
  patchAutoReload,
  reloadPayments,
  reloadRows,
  saveCardWithTopUp,
} from '../auto-reload.ts';
import { balanceOf } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { CARD_DECLINED, startStripeFake } from '../stripe-fake.ts';
import { useStripeServer } from '../top-ups.ts';
import { PHOTO_720P, submit } from '../videos.ts';

const fake = await startStripeFake();
afterAll(() => fake.close());

const DAY_MS = 24n * 60n * 60n * 1000n;

describe.each(dialects)('auto-reload on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, {
    customer: { paid_micro_usd: 10_000_000n, concurrency_limit: 40 },
    env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' },
  });

  beforeEach(async () => {
    await saveCardWithTopUp(t, fake, t.ada); // $10.00 + the $5.00 top-up = $15.00
  });

  const reloadNow = () => runAutoReloads(t.ctx, { limit: 20 });

  it('20 concurrent jobs crossing the threshold start exactly one reload, which credits once', async () => {
    const enabled = await patchAutoReload(t, t.ada, {
      enabled: true,
      threshold_usd: 10,
      amount_usd: 20,
    });
    expect(enabled.statusCode).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => submit(t.app, t.ada, PHOTO_720P)),
    );
    expect(results.every((res) => res.statusCode === 200)).toBe(true); // 20 × $0.75 = $15.00
    expect((await reloadRows(t.ctx, t.ada)).map((row) => row.status)).toEqual(['pending']);
    expect(await reloadNow()).toBe(1);
    expect(await reloadNow()).toBe(0);
    expect(t.ctx.counts.auto_reloads).toEqual({ succeeded: 1, failed: 0 });
    const [reload] = await reloadRows(t.ctx, t.ada);
    expect(reload).toMatchObject({ status: 'succeeded', amount_micro_usd: 20_000_000n });
    expect(reloadPayments(fake).map((intent) => intent.status)).toEqual(['succeeded']);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(20_000_000n);
    const succeeded = await eventsOf(t.ctx, t.ada, 'auto_reload.succeeded');
    expect(succeeded.map((event) => event.payload)).toEqual([
      {
        auto_reload_id: reload!.id,
        amount_micro_usd: 20_000_000,
        payment_intent_id: reload!.payment_intent_id,
        grant_id: reload!.grant_id,
      },
    ]);
    const grant = await t.ctx.db
      .selectFrom('grants')
      .selectAll()
      .where('id', '=', reload!.grant_id!)
      .executeTakeFirstOrThrow();
    expect(grant).toMatchObject({
      kind: 'paid',
      source: 'auto_reload',
      amount_micro_usd: 20_000_000n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a declining card disables auto-reload after 3 failures, with auto_reload.disabled naming the decline code', async () => {
    fake.declinePayments(CARD_DECLINED);
    // Below the threshold at once: enabling starts the first reload.
    await patchAutoReload(t, t.ada, { enabled: true, threshold_usd: 50, amount_usd: 20 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await reloadNow()).toBe(1);
      expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200); // starts the next
    }
    const rows = await reloadRows(t.ctx, t.ada);
    expect(rows.map((row) => [row.status, row.failure_code])).toEqual([
      ['failed', 'generic_decline'],
      ['failed', 'generic_decline'],
      ['failed', 'generic_decline'],
    ]);
    expect((await eventsOf(t.ctx, t.ada, 'auto_reload.failed')).length).toBe(3);
    expect(t.ctx.counts.auto_reloads).toEqual({ succeeded: 0, failed: 3 });
    const disabled = await eventsOf(t.ctx, t.ada, 'auto_reload.disabled');
    expect(disabled.map((event) => event.payload)).toEqual([
      expect.objectContaining({ reason: 'generic_decline', consecutive_failures: 3 }),
    ]);
    const settings = (
      await t.app.inject({ method: 'GET', url: '/billing/v1/auto-reload', headers: t.ada.headers })
    ).json().data;
    expect(settings).toMatchObject({
      enabled: false,
      disabled_reason: 'generic_decline',
      consecutive_failures: 3,
    });
    // 15.00 − 3 × 0.75: nothing was credited.
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(12_750_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a payment that needs authentication (3DS) counts as a failure with that reason; a success resets the count', async () => {
    fake.declinePayments({
      code: 'authentication_required',
      decline_code: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    });
    await patchAutoReload(t, t.ada, { enabled: true, threshold_usd: 50, amount_usd: 20 });
    expect(await reloadNow()).toBe(1);
    expect((await reloadRows(t.ctx, t.ada))[0]?.failure_code).toBe('authentication_required');
    fake.declinePayments(null);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    expect(await reloadNow()).toBe(1);
    const settings = (
      await t.app.inject({ method: 'GET', url: '/billing/v1/auto-reload', headers: t.ada.headers })
    ).json().data;
    expect(settings).toMatchObject({ enabled: true, consecutive_failures: 0 });
    await expectLedgerBalanced(t.ctx);
  });

  it('the daily cap stops a runaway reload until the next UTC day', async () => {
    // Always below the threshold: every credit checks again and would reload again.
    await patchAutoReload(t, t.ada, {
      enabled: true,
      threshold_usd: 1000,
      amount_usd: 5,
      daily_cap_usd: '10.00',
    });
    for (let tick = 0; tick < 5; tick++) await reloadNow();
    expect((await reloadRows(t.ctx, t.ada)).map((row) => row.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(25_000_000n);
    t.ctx.clock.advance(DAY_MS);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    expect(await reloadNow()).toBe(1);
    // The next day's first reload credited and, still below, started the day's second.
    expect((await reloadRows(t.ctx, t.ada)).map((row) => row.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'pending',
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a worker crash between the payment and the credit, then two workers at once: paid once, credited once', async () => {
    await patchAutoReload(t, t.ada, { enabled: true, threshold_usd: 50, amount_usd: 20 });
    const [reload] = await reloadRows(t.ctx, t.ada);
    const stripe = stripeClientFor(t.ctx.config)!;
    const method = await paymentMethodForReload(t.ctx.db, t.ada.account_id);
    // The first worker charged and crashed before its transaction.
    expect((await chargeOffSession(stripe, { reload: reload!, method: method! })).outcome).toBe(
      'succeeded',
    );
    const outcomes = await Promise.all([
      performAutoReload(t.ctx, stripe, reload!),
      performAutoReload(t.ctx, stripe, reload!),
    ]);
    expect(outcomes.sort()).toEqual(['already_closed', 'succeeded']);
    expect(reloadPayments(fake)).toHaveLength(1);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(35_000_000n);
    expect(await eventsOf(t.ctx, t.ada, 'auto_reload.succeeded')).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });

  it('users/me shows the settings in HeyGen’s wallet.auto_reload shape', async () => {
    await patchAutoReload(t, t.ada, { enabled: true, threshold_usd: 10, amount_usd: 50 });
    const me = await t.app.inject({ method: 'GET', url: '/v3/users/me', headers: t.ada.headers });
    expectHeygenShape('get_v3_users_me.yaml', me.json());
    expect(me.json().data.wallet.auto_reload).toEqual({
      enabled: true,
      threshold_usd: 10,
      amount_usd: 50,
    });
    await patchAutoReload(t, t.ada, { enabled: false });
    expect((await t.wallet()).auto_reload).toEqual({
      enabled: false,
      threshold_usd: 10,
      amount_usd: 50,
    });
  });
});

describe.each(dialects)('auto-reload settings validation on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, { customer: { paid_micro_usd: 10_000_000n } });

  it.each([
    [{ amount_usd: 4.99 }, 'amount_usd'],
    [{ amount_usd: '5.001' }, 'amount_usd'],
    [{ amount_usd: 'five' }, 'amount_usd'],
    [{ threshold_usd: -1 }, 'threshold_usd'],
    [{ amount_usd: 20, daily_cap_usd: 10 }, 'daily_cap_usd'],
    [{ enabled: true, amount_usd: 20 }, 'threshold_usd'],
    [{ enabled: true, threshold_usd: 10 }, 'amount_usd'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ surprise: 1 }, 'surprise'],
  ])('%j is a 400 naming %s, and writes nothing', async (body, param) => {
    const res = await patchAutoReload(t, t.ada, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect(await t.ctx.db.selectFrom('balance_watches').selectAll().execute()).toEqual([]);
  });

  it('enabling without a card saved at a Checkout top-up is 400 payment_method_required naming enabled', async () => {
    const res = await patchAutoReload(t, t.ada, {
      enabled: true,
      threshold_usd: 10,
      amount_usd: 20,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'payment_method_required', param: 'enabled' });
    expect((await t.wallet()).auto_reload).toEqual({
      enabled: false,
      threshold_usd: null,
      amount_usd: null,
    });
  });
});

describe.each(dialects)('auto_reload_failures_max on %s', (dialect) => {
  const t = useStripeServer(dialect, fake, {
    customer: { paid_micro_usd: 10_000_000n },
    limits: { auto_reload_failures_max: 1 },
  });

  it('set to 1, the first declined reload turns auto-reload off', async () => {
    fake.declinePayments({ ...CARD_DECLINED, decline_code: 'insufficient_funds' });
    await saveCardWithTopUp(t, fake, t.ada);
    await patchAutoReload(t, t.ada, { enabled: true, threshold_usd: 50, amount_usd: 20 });
    expect(await runAutoReloads(t.ctx, { limit: 20 })).toBe(1);
    const disabled = await eventsOf(t.ctx, t.ada, 'auto_reload.disabled');
    expect(disabled.map((event) => event.payload.reason)).toEqual(['insufficient_funds']);
    expect((await t.wallet()).auto_reload).toMatchObject({ enabled: false });
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(15_000_000n);
    await expectLedgerBalanced(t.ctx);
  });
});
