import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/context.ts';
import { readWebPlanCredits, subscribe } from '../../src/plans/subscriptions.ts';
import { balanceOf } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { accessTokenFor } from '../oauth.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, PHOTO_720P, PHOTO_720P_CHARGE_MICRO_USD } from '../videos.ts';

describe.each(dialects)('a HeyGen OAuth client end to end on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada', paid_micro_usd: 10_000_000n } });

  async function bearerHeaders() {
    await withTransaction(t.ctx, (tx) =>
      subscribe(tx, { account_id: t.ada.account_id, plan_id: 'creator' }),
    );
    return accessTokenFor(t.app, t.ctx, t.ada);
  }
  const createVideo = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/v3/videos', headers, payload: PHOTO_720P });
  const credits = () => readWebPlanCredits(t.ctx.db, t.ada.account_id);

  it('a bearer job spends web-plan credits and leaves the wallet untouched; users/me shows the subscription', async () => {
    const headers = await bearerHeaders();
    const walletBefore = await balanceOf(t.ctx, t.ada);
    const creditsBefore = await credits();
    const me = (await t.app.inject({ method: 'GET', url: '/v3/users/me', headers })).json().data;
    expect(me.billing_type).toBe('subscription');
    expect(me.subscription.plan).toBe('creator');
    const created = await createVideo(headers);
    expect(created.statusCode).toBe(200);
    await drainWorker(t.ctx);
    const after = await credits();
    expect(after.premium_free_credit_milli).toBeLessThan(creditsBefore.premium_free_credit_milli);
    expect(after.premium_held_credit_milli).toBe(0n);
    expect(await balanceOf(t.ctx, t.ada)).toEqual(walletBefore);
    await expectLedgerBalanced(t.ctx);
  });

  it('an API-key job on the same account charges the wallet and leaves the credits untouched', async () => {
    await bearerHeaders();
    const creditsBefore = await credits();
    const created = await createVideo(t.ada.headers);
    expect(created.statusCode).toBe(200);
    await drainWorker(t.ctx);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(PHOTO_720P_CHARGE_MICRO_USD);
    expect(await credits()).toEqual(creditsBefore);
    await expectLedgerBalanced(t.ctx);
  });
});
