import { describe, expect, it } from 'vitest';
import { balanceOf } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { makeUsageBased, receivableOf } from '../../../test/usage-based.ts';
import {
  drainWorker,
  PHOTO_720P,
  PHOTO_720P_CHARGE_MICRO_USD,
  PHOTO_720P_HOLD_MICRO_USD,
  submit,
} from '../../../test/videos.ts';
import { listAccountEvents } from '../../events/events.ts';

describe.each(dialects)('operator adjustments on %s', (dialect) => {
  const t = useServer(dialect, {
    operator: true,
    customer: { username: 'ada', paid_micro_usd: 2_000_000n },
  });

  const post = (url: string, payload: object, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...t.operator, ...extra }, payload });
  const adjust = (payload: object, extra: Record<string, string> = {}) =>
    post(`/admin/v1/accounts/${t.ada.account_id}/adjustments`, payload, extra);
  const ledger = async () =>
    (
      await t.app.inject({
        method: 'GET',
        url: '/billing/v1/ledger?limit=50',
        headers: t.ada.headers,
      })
    ).json().data;
  const grants = async () =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/admin/v1/accounts/${t.ada.account_id}/grants`,
        headers: t.operator,
      })
    ).json().data;
  async function finishedJob(): Promise<string> {
    const { video_id } = (await submit(t.app, t.ada, PHOTO_720P)).json().data;
    await drainWorker(t.ctx);
    return video_id;
  }

  it('a job refund is whole or part, never more than was charged counting earlier refunds', async () => {
    const job_id = await finishedJob();
    const refund = (payload: object) => post(`/admin/v1/jobs/${job_id}/refunds`, payload);
    const part = await refund({ amount_usd: '0.20', memo: 'Glitch at 0:04', operator: 'sam' });
    expect(part.statusCode).toBe(200);
    expect(part.json().data).toMatchObject({
      type: 'refund',
      amount_micro_usd: 200_000,
      reference: job_id,
      operator: 'sam',
      grants: [{ kind: 'paid', amount_micro_usd: 200_000, memo: 'Glitch at 0:04' }],
    });
    const over = await refund({ amount_usd: '0.300001', memo: 'too much' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'refund_exceeds_charge', param: 'amount_usd' });
    t.ctx.clock.advance(1n);
    const rest = await refund({ memo: 'The rest' });
    expect(rest.json().data.amount_micro_usd).toBe(300_000);
    const again = await refund({ memo: 'Nothing left' });
    expect(again.statusCode).toBe(409);
    const unknown = await post('/admin/v1/jobs/video_nope/refunds', { memo: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(2_000_000n);
    const refunds = (await ledger()).filter((e: { kind: string }) => e.kind === 'refund');
    expect(
      refunds.map((e: { amount_micro_usd: number; memo: string; reference: string }) => [
        e.amount_micro_usd,
        e.memo,
        e.reference,
      ]),
    ).toEqual([
      [300_000, 'The rest', job_id],
      [200_000, 'Glitch at 0:04', job_id],
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a credit opens a grant with its terms and memo; a debit below zero blocks admission', async () => {
    const credit = await adjust({
      type: 'credit',
      amount_usd: '1.00',
      memo: 'Sorry for the outage',
      operator: 'sam',
      priority: 3,
      expires_at: '2099-01-01T00:00:00.000Z',
      source: 'promotion',
    });
    expect(credit.statusCode).toBe(200);
    expect(credit.json().data).toMatchObject({
      type: 'credit',
      operator: 'sam',
      grant: {
        kind: 'promotional',
        priority: 3,
        source: 'promotion',
        expires_at: '2099-01-01T00:00:00.000Z',
      },
      wallet: { available_micro_usd: 3_000_000 },
    });
    t.ctx.clock.advance(1n);
    const debit = await adjust({ type: 'debit', amount_usd: '3.50', memo: 'Chargeback fee' });
    expect(debit.statusCode).toBe(200);
    expect(debit.json().data).toMatchObject({
      type: 'debit',
      operator: 'operator',
      wallet: { available_micro_usd: -500_000 },
    });
    const refused = await submit(t.app, t.ada, PHOTO_720P);
    expect(refused.statusCode).toBe(402);
    const entries = await ledger();
    expect(
      entries
        .filter((e: { kind: string }) => e.kind === 'debit')
        .map((e: { memo: string; operator: string }) => [e.memo, e.operator]),
    ).toEqual([
      ['Chargeback fee', 'operator'],
      ['Chargeback fee', 'operator'],
      ['Chargeback fee', 'operator'],
    ]);
    const events = await listAccountEvents(t.ctx.db, t.ada.account_id, {
      limit: 10,
      after: null,
      type: 'adjustment.applied',
    });
    expect(events.map((e) => e.payload.type)).toEqual(['debit', 'credit']);
    await expectLedgerBalanced(t.ctx);
  });

  it('revoke takes only what is free; held parts stay until their job resolves, then the rest can be revoked', async () => {
    const [grant] = await grants();
    const { video_id } = (await submit(t.app, t.ada, PHOTO_720P)).json().data;
    const revoke = () => post(`/admin/v1/grants/${grant.id}/revoke`, { memo: 'Fraud' });
    const first = await revoke();
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toMatchObject({
      revoked_micro_usd: Number(2_000_000n - PHOTO_720P_HOLD_MICRO_USD),
      held_micro_usd: Number(PHOTO_720P_HOLD_MICRO_USD),
    });
    await drainWorker(t.ctx);
    expect(await getVideoStatus(video_id)).toBe('completed');
    const second = await revoke();
    expect(second.json().data).toMatchObject({
      revoked_micro_usd: Number(PHOTO_720P_HOLD_MICRO_USD - PHOTO_720P_CHARGE_MICRO_USD),
      held_micro_usd: 0,
    });
    const [after] = await grants();
    expect(after).toMatchObject({
      status: 'closed',
      remaining_micro_usd: 0,
      revoked_micro_usd: Number(2_000_000n - PHOTO_720P_CHARGE_MICRO_USD),
    });
    expect((await post('/admin/v1/grants/grant_nope/revoke', { memo: 'x' })).statusCode).toBe(404);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('an adjustment replayed with its Idempotency-Key moves money once and answers the same', async () => {
    const key = { 'idempotency-key': 'adj-1' };
    const body = { type: 'debit', amount_usd: '0.25', memo: 'Fee' };
    const first = await adjust(body, key);
    const second = await adjust(body, key);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    const job_id = await finishedJob();
    const refundKey = { 'idempotency-key': 'refund-1' };
    const r1 = await post(`/admin/v1/jobs/${job_id}/refunds`, { memo: 'x' }, refundKey);
    const r2 = await post(`/admin/v1/jobs/${job_id}/refunds`, { memo: 'x' }, refundKey);
    expect(r2.json()).toEqual(r1.json());
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(1_750_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it("a usage-based job's refund credits its receivable, never more than charged minus earlier refunds, opens no grant and replays once", async () => {
    await makeUsageBased(t.ctx, t.ada);
    const job_id = await finishedJob();
    expect((await receivableOf(t.ctx, t.ada)).debits_posted).toBe(PHOTO_720P_CHARGE_MICRO_USD);
    const walletBefore = await balanceOf(t.ctx, t.ada);
    const grantsBefore = await grants();
    const refund = (payload: object, extra: Record<string, string> = {}) =>
      post(`/admin/v1/jobs/${job_id}/refunds`, payload, extra);
    const part = await refund({ amount_usd: '0.20', memo: 'Glitch at 0:04', operator: 'sam' });
    expect(part.statusCode).toBe(200);
    expect(part.json().data).toMatchObject({
      type: 'refund',
      amount_micro_usd: 200_000,
      reference: job_id,
      operator: 'sam',
      memo: 'Glitch at 0:04',
      grant_id: null,
      job_id,
      grants: [],
    });
    expect(await receivableOf(t.ctx, t.ada)).toEqual({
      debits_pending: 0n,
      debits_posted: PHOTO_720P_CHARGE_MICRO_USD,
      credits_posted: 200_000n,
    });
    const over = await refund({ amount_usd: '0.300001', memo: 'too much' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'refund_exceeds_charge', param: 'amount_usd' });
    const key = { 'idempotency-key': 'usage-refund-1' };
    const rest = await refund({ memo: 'The rest' }, key);
    expect(rest.json().data.amount_micro_usd).toBe(300_000);
    expect((await refund({ memo: 'The rest' }, key)).json()).toEqual(rest.json());
    expect((await refund({ memo: 'Nothing left' })).statusCode).toBe(409);
    expect((await receivableOf(t.ctx, t.ada)).credits_posted).toBe(PHOTO_720P_CHARGE_MICRO_USD);
    expect(await balanceOf(t.ctx, t.ada)).toEqual(walletBefore);
    expect(await grants()).toEqual(grantsBefore);
    const applied = await listAccountEvents(t.ctx.db, t.ada.account_id, {
      limit: 50,
      after: null,
      type: 'adjustment.applied',
    });
    expect(applied).toHaveLength(2);
    await expectLedgerBalanced(t.ctx);
  });

  it('an operator debit or revocation below the low-balance threshold records balance.low once per crossing', async () => {
    const threshold = await t.app.inject({
      method: 'PATCH',
      url: '/billing/v1/alerts',
      headers: t.ada.headers,
      payload: { low_balance_threshold_usd: '1.50' },
    });
    expect(threshold.statusCode).toBe(200);
    const lowEvents = async () =>
      (
        await listAccountEvents(t.ctx.db, t.ada.account_id, {
          limit: 50,
          after: null,
          type: 'balance.low',
        })
      ).map((event) => event.payload.available_micro_usd);
    const debit = (amount_usd: string) => adjust({ type: 'debit', amount_usd, memo: 'Fee' });
    expect((await debit('0.25')).statusCode).toBe(200); // $1.75: above
    expect(await lowEvents()).toEqual([]);
    expect((await debit('0.50')).statusCode).toBe(200); // $1.25: crossed
    expect(await lowEvents()).toEqual([1_250_000]);
    expect((await debit('0.25')).statusCode).toBe(200); // $1.00: still below, no second event
    expect(await lowEvents()).toEqual([1_250_000]);
    const credit = await adjust({ type: 'credit', amount_usd: '5.00', memo: 'Goodwill' });
    const grant_id = credit.json().data.grant.id;
    const revoked = await post(`/admin/v1/grants/${grant_id}/revoke`, { memo: 'Mistake' });
    expect(revoked.statusCode).toBe(200); // $6.00 → $1.00: a new crossing
    expect((await lowEvents()).sort()).toEqual([1_000_000, 1_250_000]);
    await expectLedgerBalanced(t.ctx);
  });

  it('bad adjustment input is a 400 naming the field', async () => {
    for (const [payload, param] of [
      [{ type: 'gift', amount_usd: '1', memo: 'x' }, 'type'],
      [{ type: 'debit', amount_usd: '1.0000001', memo: 'x' }, 'amount_usd'],
      [{ type: 'debit', amount_usd: '1' }, 'memo'],
      [{ type: 'credit', amount_usd: '1', memo: 'x', priority: 1.5 }, 'priority'],
      [{ type: 'credit', amount_usd: '1', memo: 'x', expires_at: 'tomorrow' }, 'expires_at'],
      [
        { type: 'credit', amount_usd: '1', memo: 'x', expires_at: '2000-01-01T00:00:00Z' },
        'expires_at',
      ],
    ] as const) {
      const res = await adjust(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.param, JSON.stringify(payload)).toBe(param);
    }
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(2_000_000n);
    await expectLedgerBalanced(t.ctx);
  });

  async function getVideoStatus(video_id: string): Promise<string> {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v3/videos/${video_id}`,
      headers: t.ada.headers,
    });
    return res.json().data.status;
  }
});
