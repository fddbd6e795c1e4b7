import { describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { accessTokenFor } from '../../../test/oauth.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { drainWorker, PHOTO_720P } from '../../../test/videos.ts';
import { withTransaction } from '../../context.ts';
import { grantCreditPack } from '../../plans/credit-packs.ts';
import { subscribe } from '../../plans/subscriptions.ts';

// OAuth callers hold real access tokens (`accessTokenFor`: a user of ada's account signs in
// through the authorize + PKCE flow), so these tests go through the production bearer check.
describe.each(dialects)('GET /v3/users/me for an OAuth caller on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 40_000_000n } });
  const me = (headers: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/v3/users/me', headers });
  /** Subscribes ada to `plan_id`; returns an OAuth caller's bearer headers on ada's account. */
  const onPlan = async (plan_id: string) => {
    await withTransaction(t.ctx, (tx) => subscribe(tx, { account_id: t.ada.account_id, plan_id }));
    return accessTokenFor(t.app, t.ctx, t.ada);
  };

  it('shows the web plan in HeyGen’s subscription shape and nothing of the wallet', async () => {
    const bearer = await onPlan('creator');
    await withTransaction(t.ctx, (tx) =>
      grantCreditPack(tx, {
        account_id: t.ada.account_id,
        amount_credit_milli: 100_500n,
        memo: null,
      }),
    );
    const res = await me(bearer);
    expect(res.statusCode).toBe(200);
    expectHeygenShape('get_v3_users_me.yaml', res.json());
    const resets_at = new Date(Date.UTC(2026, 11, 18, 11, 6, 40)).toISOString();
    expect(res.json().data).toEqual({
      username: 'ada',
      email: 'ada@example.com',
      first_name: 'Test',
      last_name: 'ada',
      billing_type: 'subscription',
      wallet: null,
      subscription: {
        plan: 'creator',
        plan_id: 'creator',
        credits: {
          premium_credits: {
            remaining: 600,
            resets_at,
            remaining_credit_milli: 600_000,
            held_credit_milli: 0,
          },
          add_on_credits: {
            remaining: 100,
            resets_at: null,
            remaining_credit_milli: 100_500,
            held_credit_milli: 0,
          },
        },
      },
      usage_based: null,
    });
  });

  it('an API key on the same account still sees only the wallet', async () => {
    await onPlan('creator');
    const res = await me(t.ada.headers);
    expect(res.json().data).toMatchObject({
      billing_type: 'wallet',
      wallet: { remaining_balance: 40 },
      subscription: null,
    });
  });

  it('a video through OAuth spends credits shown in users/me and leaves the wallet as it was', async () => {
    const bearer = await onPlan('business');
    const video = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: bearer,
      payload: PHOTO_720P,
    });
    expect(video.statusCode).toBe(200);
    await drainWorker(t.ctx);
    const credits = (await me(bearer)).json().data.subscription;
    expect(credits.plan).toBe('team');
    expect(credits.credits.premium_credits).toMatchObject({
      remaining: 1_496,
      remaining_credit_milli: 1_500_000 - 3_334,
    });
    expect((await me(t.ada.headers)).json().data.wallet.remaining_balance).toBe(40);
    await expectLedgerBalanced(t.ctx);
  });

  it('a video through OAuth beyond the credits is a 402 in HeyGen’s envelope and writes nothing', async () => {
    const bearer = await accessTokenFor(t.app, t.ctx, t.ada);
    const noPlan = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: bearer,
      payload: PHOTO_720P,
    });
    expect(noPlan.statusCode).toBe(402);
    expect(noPlan.json().error.code).toBe('insufficient_credit');
    await withTransaction(t.ctx, (tx) =>
      subscribe(tx, { account_id: t.ada.account_id, plan_id: 'free' }),
    );
    const long = { ...PHOTO_720P, script: 'x'.repeat(5_000) };
    const res = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: bearer,
      payload: long,
    });
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({
      code: 'insufficient_credit',
      message: 'Your web plan has 10 credits available but this job requires 166.667 credits.',
    });
    expect(await t.ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });
});
