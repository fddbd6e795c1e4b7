import { describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { drainWorker, PHOTO_720P } from '../../../test/videos.ts';
import { submitVideo } from '../../jobs/submit.ts';
import { readWebPlanCredits } from '../../plans/subscriptions.ts';

const OAUTH = { kind: 'oauth', user_id: 'user_1', client_id: 'client_1' } as const;

describe.each(dialects)('operator web-plan API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, extra = {}) =>
    t.app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { ...t.operator, ...extra },
      ...(payload === undefined ? {} : { payload }),
    });
  const subscriptionUrl = () => `/accounts/${t.ada.account_id}/subscription`;

  it('lists the five built-in plans, and a stored plan replaces its default', async () => {
    const before = (await call('GET', '/plans')).json().data;
    expect(before.map((p: { id: string }) => p.id)).toEqual([
      'free',
      'creator',
      'pro',
      'business',
      'enterprise',
    ]);
    expect(before[1]).toMatchObject({
      premium_credits: '600',
      oauth_concurrency_limit: 2,
      built_in: true,
    });
    const saved = await call('PUT', '/plans/creator', {
      name: 'Creator+',
      heygen_plan: 'creator',
      premium_credits: '750.5',
      oauth_concurrency_limit: 4,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().data).toMatchObject({
      premium_credit_milli: 750_500,
      cycle_months: 1,
      built_in: false,
    });
    const after = (await call('GET', '/plans')).json().data;
    expect(after).toHaveLength(5);
    expect(after[1]).toMatchObject({ name: 'Creator+', premium_credits: '750.5' });
  });

  it('a plan with credits that are not exact, or a HeyGen plan HeyGen lacks, is a 400 naming the field', async () => {
    const inexact = await call('PUT', '/plans/x', {
      name: 'X',
      heygen_plan: 'pro',
      premium_credits: '1.0001',
      oauth_concurrency_limit: 1,
    });
    expect(inexact.statusCode).toBe(400);
    expect(inexact.json().error.param).toBe('premium_credits');
    const unknown = await call('PUT', '/plans/x', {
      name: 'X',
      heygen_plan: 'business',
      premium_credits: '1',
      oauth_concurrency_limit: 1,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.param).toBe('heygen_plan');
  });

  it('subscribing grants the allowance at once; a plan change keeps the cycle’s credits', async () => {
    const none = await call('GET', subscriptionUrl());
    expect(none.json().data).toMatchObject({ plan: null, premium_free_credit_milli: 0 });
    const subscribed = await call('PUT', subscriptionUrl(), { plan: 'pro' });
    expect(subscribed.statusCode).toBe(200);
    expect(subscribed.json().data).toMatchObject({
      plan: { id: 'pro' },
      cycle_number: 1,
      premium_free_credits: '1000',
      resets_at: '2026-12-18T11:06:40.000Z',
    });
    const changed = await call('PUT', subscriptionUrl(), { plan: 'free' });
    expect(changed.json().data).toMatchObject({
      plan: { id: 'free' },
      premium_free_credits: '1000',
    });
    const unknown = await call('PUT', subscriptionUrl(), { plan: 'gold' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.param).toBe('plan');
    await expectLedgerBalanced(t.ctx);
  });

  it('a credit pack adds add-on credits once per Idempotency-Key and is listed', async () => {
    await call('PUT', subscriptionUrl(), { plan: 'free' });
    const url = `/accounts/${t.ada.account_id}/credit-packs`;
    const key = { 'idempotency-key': 'pack-1' };
    const first = await call('POST', url, { credits: '100', memo: 'Black Friday' }, key);
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toMatchObject({
      amount_credits: '100',
      memo: 'Black Friday',
      web_plan: { add_on_free_credit_milli: 100_000, premium_free_credit_milli: 10_000 },
    });
    const replay = await call('POST', url, { credits: '100', memo: 'Black Friday' }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const list = await call('GET', url);
    expect(list.json().data).toHaveLength(1);
    const credits = await readWebPlanCredits(t.ctx.db, t.ada.account_id);
    expect(credits.add_on_free_credit_milli).toBe(100_000n);
    const zero = await call('POST', url, { credits: '0' });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.param).toBe('credits');
    await expectLedgerBalanced(t.ctx);
  });

  it('a new credit rate card prices the next web-plan job; the default card is listed after it', async () => {
    await call('PUT', subscriptionUrl(), { plan: 'creator' });
    const card = await call('POST', '/credit-rate-cards', {
      version: 'credits-v2',
      rows: [{ sku: 'avatar_iv_v.photo_avatar.hd', per: 'minute', credits: '6' }],
    });
    expect(card.statusCode).toBe(200);
    expect(card.json().data).toMatchObject({ version: 'credits-v2', status: 'active' });
    const list = (await call('GET', '/credit-rate-cards')).json().data;
    expect(list.map((c: { version: string }) => c.version)).toEqual([
      'credits-v2',
      'tollgate-web-plan-credits-2026-12',
    ]);
    await submitVideo(t.ctx, {
      account_id: t.ada.account_id,
      input: PHOTO_720P as never,
      credential: OAUTH,
    });
    await drainWorker(t.ctx);
    // 10 s at 6 credits a minute: exactly 1 credit.
    const credits = await readWebPlanCredits(t.ctx.db, t.ada.account_id);
    expect(credits.premium_free_credit_milli).toBe(600_000n - 1_000n);
    const bad = await call('POST', '/credit-rate-cards', {
      version: 'credits-v3',
      rows: [{ sku: 'lipsync.speed', per: 'minute', credits: '0.0001' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('rows.0.credits');
    await expectLedgerBalanced(t.ctx);
  });
});
