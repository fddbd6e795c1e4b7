import { beforeEach, describe, expect, it } from 'vitest';
import { balanceOf, type Customer, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { fullCardBody, postRateCard, putRateOverride } from '../rate-cards.ts';
import { useServer } from '../server-fixture.ts';
import {
  drainWorker,
  getVideo,
  jobRow,
  PHOTO_720P,
  PHOTO_720P_CHARGE_MICRO_USD,
  PHOTO_720P_HOLD_MICRO_USD,
  submit,
} from '../videos.ts';

const FUNDED_MICRO_USD = 20_000_000n;
const PHOTO_HD = 'avatar_iv_v.photo_avatar.hd';

describe.each(dialects)('operator rate cards priced end to end on %s', (dialect) => {
  const t = useServer(dialect, {
    operator: true,
    customer: { username: 'ada', paid_micro_usd: FUNDED_MICRO_USD },
  });
  let bob: Customer;
  beforeEach(async () => {
    bob = await createCustomer(t.ctx, { username: 'bob', paid_micro_usd: FUNDED_MICRO_USD });
  });

  async function submitPhoto(customer: Customer): Promise<string> {
    const res = await submit(t.app, customer, PHOTO_720P);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.video_id;
  }

  async function billingOf(customer: Customer, video_id: string) {
    return (await getVideo(t.app, customer, video_id)).json().data.billing;
  }

  it('a scheduled card takes effect at its time; a job admitted before settles on the old card', async () => {
    const effective_at_ms = t.ctx.clock.now_ms() + 60_000n;
    const card = fullCardBody('operator-2027-01', { [PHOTO_HD]: '0.08' }, effective_at_ms);
    expect((await postRateCard(t.app, t.operator, card)).statusCode).toBe(200);

    const before = await submitPhoto(t.ada);
    t.ctx.clock.advance(59_999n);
    const stillBefore = await submitPhoto(bob);
    t.ctx.clock.advance(1n);
    const after = await submitPhoto(bob);
    await drainWorker(t.ctx);

    for (const [video_id, customer] of [
      [before, t.ada],
      [stillBefore, bob],
    ] as const) {
      expect(await billingOf(customer, video_id)).toMatchObject({
        rate_card_version: 'heygen-payg-2026-06',
        hold_amount_micro_usd: Number(PHOTO_720P_HOLD_MICRO_USD),
        charged_amount_micro_usd: Number(PHOTO_720P_CHARGE_MICRO_USD),
      });
    }
    // 15 s held and 10 s charged at $0.08/s.
    expect(await billingOf(bob, after)).toMatchObject({
      rate_card_version: 'operator-2027-01',
      hold_amount_micro_usd: 1_200_000,
      charged_amount_micro_usd: 800_000,
    });
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(PHOTO_720P_CHARGE_MICRO_USD);
    expect((await balanceOf(t.ctx, bob)).settled_micro_usd).toBe(
      PHOTO_720P_CHARGE_MICRO_USD + 800_000n,
    );
    await expectLedgerBalanced(t.ctx);
  });

  it('a job admitted before a new card is stored settles on the card it was admitted under', async () => {
    const video_id = await submitPhoto(t.ada);
    expect(
      (await postRateCard(t.app, t.operator, fullCardBody('now', { [PHOTO_HD]: '1' }))).statusCode,
    ).toBe(200);
    await drainWorker(t.ctx);
    expect((await billingOf(t.ada, video_id)).charged_amount_micro_usd).toBe(
      Number(PHOTO_720P_CHARGE_MICRO_USD),
    );
    await expectLedgerBalanced(t.ctx);
  });

  it('an override prices only its account, and the account sees it on its rate card', async () => {
    const res = await putRateOverride(t.app, t.operator, t.ada.account_id, {
      rows: [{ sku: PHOTO_HD, rate_usd: '0.04' }],
      memo: 'negotiated discount',
    });
    expect(res.statusCode, res.body).toBe(200);
    const adaVideo = await submitPhoto(t.ada);
    const bobVideo = await submitPhoto(bob);
    await drainWorker(t.ctx);
    expect((await billingOf(t.ada, adaVideo)).charged_amount_micro_usd).toBe(400_000);
    expect((await billingOf(bob, bobVideo)).charged_amount_micro_usd).toBe(500_000);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(400_000n);
    expect((await balanceOf(t.ctx, bob)).settled_micro_usd).toBe(500_000n);
    expect((await jobRow(t.ctx, adaVideo)).rate_override_id).toBe(res.json().data.id);
    expect((await jobRow(t.ctx, bobVideo)).rate_override_id).toBeNull();

    const card = async (customer: Customer) =>
      (await t.app.inject({ url: '/billing/v1/rate-card', headers: customer.headers })).json().data;
    const adaRow = (await card(t.ada)).rows.find((row: { sku: string }) => row.sku === PHOTO_HD);
    expect(adaRow).toMatchObject({ rate_usd: '0.04', rate_micro_usd: 40_000 });
    expect((await card(t.ada)).rate_override_id).toBe(res.json().data.id);
    expect((await card(bob)).rate_override_id).toBeNull();
    await expectLedgerBalanced(t.ctx);
  });

  it('a job admitted under an override settles on it after the override changes or is removed', async () => {
    await putRateOverride(t.app, t.operator, t.ada.account_id, {
      rows: [{ sku: PHOTO_HD, rate_usd: '0.04' }],
    });
    const first = await submitPhoto(t.ada);
    await putRateOverride(t.app, t.operator, t.ada.account_id, {
      rows: [{ sku: PHOTO_HD, rate_usd: '0.03' }],
    });
    const second = await submitPhoto(t.ada);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/admin/v1/accounts/${t.ada.account_id}/rate-overrides`,
      headers: t.operator,
    });
    expect(removed.statusCode).toBe(200);
    const third = await submitPhoto(t.ada);
    await drainWorker(t.ctx);
    expect((await billingOf(t.ada, first)).charged_amount_micro_usd).toBe(400_000);
    expect((await billingOf(t.ada, second)).charged_amount_micro_usd).toBe(300_000);
    expect((await billingOf(t.ada, third)).charged_amount_micro_usd).toBe(500_000);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(1_200_000n);
    await expectLedgerBalanced(t.ctx);
  });
});
