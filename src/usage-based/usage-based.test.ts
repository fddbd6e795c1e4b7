import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../../test/customers.ts';
import { createSiblingNode, dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { expectHeygenShape } from '../../test/heygen-schemas.ts';
import { useServer } from '../../test/server-fixture.ts';
import { eventsOfType, makeUsageBased, receivableOf } from '../../test/usage-based.ts';
import { drainWorker, jobRow, PHOTO_720P, submit } from '../../test/videos.ts';
import { withTransaction } from '../context.ts';
import { buildServer } from '../http/server.ts';
import { setKeySpendingLimit } from '../key-limits/limits.ts';

/** A 60-character script: held 6 s ($0.30 at $0.05/s), charged 4 s ($0.20). */
const SHORT_PHOTO = { ...PHOTO_720P, script: 'x'.repeat(60) };
const FAILING_PHOTO = { ...PHOTO_720P, script: `${'x'.repeat(135)}[simulate:fail]` };

describe.each(dialects)('usage-based accounts on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada' }, operator: true });

  const me = () => t.app.inject({ method: 'GET', url: '/v3/users/me', headers: t.ada.headers });
  const usageOf = async () => (await me()).json().data.usage_based;
  const patchBilling = (payload: Record<string, unknown>, account_id = t.ada.account_id) =>
    t.app.inject({
      method: 'PATCH',
      url: `/admin/v1/accounts/${account_id}/billing`,
      headers: t.operator,
      payload,
    });

  it('jobs of an API key on a usage-based account accrue on its receivable, not the wallet, and users/me shows the period in HeyGen’s shape', async () => {
    const set = await patchBilling({ billing_type: 'usage_based', spending_cap_usd: '100.00' });
    expect(set.statusCode).toBe(200);
    expect(set.json().data).toMatchObject({
      billing_type: 'usage_based',
      spending_cap_usd: '100.00',
      time_zone: 'UTC',
      period: '2026-11',
    });
    const res = await submit(t.app, t.ada, PHOTO_720P);
    expect(res.statusCode).toBe(200);
    const job_id = res.json().data.video_id;
    const held = await me();
    expectHeygenShape('get_v3_users_me.yaml', held.json());
    expect(held.json().data).toMatchObject({
      billing_type: 'usage_based',
      wallet: null,
      subscription: null,
      usage_based: { spending_current_usd: 0, spending_cap_usd: 100, held_usd: 0.75 },
    });

    await drainWorker(t.ctx);
    expect(await usageOf()).toMatchObject({
      spending_current_usd: 0.5,
      spending_current_micro_usd: 500_000,
      held_micro_usd: 0,
      period: '2026-11',
      period_start: '2026-11-01T00:00:00.000Z',
    });
    expect(await receivableOf(t.ctx, t.ada)).toEqual({
      debits_pending: 0n,
      debits_posted: 500_000n,
      credits_posted: 0n,
    });
    const job = await jobRow(t.ctx, job_id);
    expect([job.billing_pool, job.api_key_id, job.charged_amount_micro_usd]).toEqual([
      'usage_based',
      t.ada.api_key_id,
      500_000n,
    ]);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('concurrent jobs cannot push a usage-based account past its cap: jobs in flight count, and 402 names spending_cap_usd', async () => {
    await makeUsageBased(t.ctx, t.ada, { spending_cap_micro_usd: 2_250_000n });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => submit(t.app, t.ada, PHOTO_720P)),
    );
    const statuses = responses.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 402, 402, 402, 402, 402]);
    const refusal = responses.find((res) => res.statusCode === 402)!.json().error;
    expect(refusal).toMatchObject({
      code: 'spending_cap_exceeded',
      param: 'spending_cap_usd',
      details: { spending_cap_usd: '2.25', held_micro_usd: 2_250_000, required_micro_usd: 750_000 },
    });
    expect((await receivableOf(t.ctx, t.ada)).debits_pending).toBe(2_250_000n);

    // Charged $1.50 in all: $0.75 of the cap is free again, for exactly one more job.
    await drainWorker(t.ctx);
    const after = await Promise.all([1, 2, 3].map(() => submit(t.app, t.ada, PHOTO_720P)));
    expect(after.map((res) => res.statusCode).sort()).toEqual([200, 402, 402]);
    await drainWorker(t.ctx);
    expect(await usageOf()).toMatchObject({ spending_current_usd: 2, held_usd: 0 });
    await expectLedgerBalanced(t.ctx);
  });

  it.runIf(dialect === 'postgres')(
    'two gateway nodes admitting for one account at once still stop at its cap and its key’s limit',
    async () => {
      await makeUsageBased(t.ctx, t.ada, { spending_cap_micro_usd: 3_000_000n });
      const node = createSiblingNode(t.ctx, 'b');
      const other = buildServer(node);
      try {
        const apps = [t.app, other];
        const run = () =>
          Promise.all(
            Array.from({ length: 10 }, (_, i) => submit(apps[i % 2]!, t.ada, PHOTO_720P)),
          );
        expect((await run()).filter((res) => res.statusCode === 200)).toHaveLength(4);
        await makeUsageBased(t.ctx, t.ada, { spending_cap_micro_usd: null });
        await withTransaction(t.ctx, (tx) =>
          setKeySpendingLimit(tx, {
            api_key_id: t.ada.api_key_id,
            window: 'month',
            amount_micro_usd: 4_500_000n,
          }),
        );
        // $3.00 held; $1.50 of the key's limit left: two more jobs across both nodes.
        expect((await run()).filter((res) => res.statusCode === 200)).toHaveLength(2);
        expect((await receivableOf(t.ctx, t.ada)).debits_pending).toBe(4_500_000n);
      } finally {
        await other.close();
        await node.close();
      }
      await drainWorker(t.ctx);
      await expectLedgerBalanced(t.ctx);
    },
  );

  it('a failed job frees its part of the cap and is never charged', async () => {
    await makeUsageBased(t.ctx, t.ada, { spending_cap_micro_usd: 750_000n });
    const failing = await submit(t.app, t.ada, FAILING_PHOTO);
    expect(failing.statusCode).toBe(200);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    await drainWorker(t.ctx);
    const job = await jobRow(t.ctx, failing.json().data.video_id);
    expect([job.status, job.charged_amount_micro_usd]).toEqual(['failed', 0n]);
    expect(await receivableOf(t.ctx, t.ada)).toMatchObject({
      debits_pending: 0n,
      debits_posted: 0n,
    });
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });

  it('a new period starts from zero at midnight of the account’s time zone, not UTC’s', async () => {
    await makeUsageBased(t.ctx, t.ada, {
      spending_cap_micro_usd: 1_000_000n,
      time_zone: 'asia/tokyo',
    });
    // 23:50 on 30 November in Tokyo (UTC+9).
    t.ctx.clock.set(BigInt(Date.parse('2026-11-30T14:50:00Z')));
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);

    // Midnight in Tokyo: still 30 November in UTC, but a new month for this account.
    t.ctx.clock.set(BigInt(Date.parse('2026-11-30T15:00:00Z')));
    expect(await usageOf()).toMatchObject({
      spending_current_usd: 0,
      period: '2026-12',
      period_start: '2026-11-30T15:00:00.000Z',
      time_zone: 'Asia/Tokyo',
    });
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    expect(await usageOf()).toMatchObject({ spending_current_usd: 0.5, held_usd: 0 });
    await expectLedgerBalanced(t.ctx);
  });

  it('spending_cap.reached is recorded once per period, when admitted spending first reaches 90% of the cap', async () => {
    await makeUsageBased(t.ctx, t.ada, { spending_cap_micro_usd: 1_000_000n });
    for (const _ of [1, 2]) expect((await submit(t.app, t.ada, SHORT_PHOTO)).statusCode).toBe(200);
    expect(await eventsOfType(t.ctx, t.ada, 'spending_cap.reached')).toEqual([]);
    expect((await submit(t.app, t.ada, SHORT_PHOTO)).statusCode).toBe(200);
    expect((await submit(t.app, t.ada, SHORT_PHOTO)).statusCode).toBe(402);
    await drainWorker(t.ctx);
    // $0.60 charged + $0.30 held: 90% again, in the same period: no second event.
    expect((await submit(t.app, t.ada, SHORT_PHOTO)).statusCode).toBe(200);
    expect(await eventsOfType(t.ctx, t.ada, 'spending_cap.reached')).toEqual([
      {
        period: '2026-11',
        threshold_percent: 90,
        spending_micro_usd: 900_000,
        spending_usd: '0.90',
        spending_cap_micro_usd: 1_000_000,
        spending_cap_usd: '1.00',
      },
    ]);
    await drainWorker(t.ctx);
    await expectLedgerBalanced(t.ctx);
  });

  it('the operator’s billing settings refuse an unknown time zone, a bad cap and an unknown account, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, number, string | null]> = [
      [{ time_zone: 'Mars/Olympus' }, 400, 'time_zone'],
      [{ spending_cap_usd: '-1' }, 400, 'spending_cap_usd'],
      [{ spending_cap_usd: '1.0000001' }, 400, 'spending_cap_usd'],
      [{ billing_type: 'credits' }, 400, 'billing_type'],
      [{}, 400, null],
    ];
    for (const [payload, status, param] of cases) {
      const res = await patchBilling(payload);
      expect([res.statusCode, res.json().error.param], JSON.stringify(payload)).toEqual([
        status,
        param,
      ]);
    }
    expect((await patchBilling({ time_zone: 'UTC' }, 'acct_missing')).statusCode).toBe(404);
    const cleared = await patchBilling({ spending_cap_usd: null, time_zone: 'europe/paris' });
    expect(cleared.json().data).toMatchObject({
      billing_type: 'wallet',
      spending_cap_usd: null,
      time_zone: 'Europe/Paris',
    });
  });
});

describe.each(dialects)('statements on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada' }, operator: true });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...t.ada.headers, ...headers } });

  it('a statement lists every charge of its month, and its CSV parses back to the same charges and total', async () => {
    await makeUsageBased(t.ctx, t.ada);
    const job_ids: string[] = [];
    for (const body of [PHOTO_720P, SHORT_PHOTO, PHOTO_720P]) {
      job_ids.push((await submit(t.app, t.ada, body)).json().data.video_id);
      await drainWorker(t.ctx);
      t.ctx.clock.advance(1_000n);
    }
    const list = await get('/billing/v1/statements');
    expect(list.json()).toMatchObject({
      data: [{ period: '2026-11', status: 'open', charge_count: 3, total_usd: '1.20' }],
      has_more: false,
      next_token: null,
    });

    const json = (await get('/billing/v1/statements/2026-11')).json().data;
    expect(json.charges.map((c: { job_id: string }) => c.job_id)).toEqual(job_ids);
    expect(json.total_micro_usd).toBe(1_200_000);

    for (const [url, headers] of [
      ['/billing/v1/statements/2026-11?format=csv', {}],
      ['/billing/v1/statements/2026-11', { accept: 'text/csv' }],
    ] as const) {
      const csv = await get(url, headers);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(csv.body, { columns: true }) as Array<Record<string, string>>;
      expect(rows.map((row) => row.job_id)).toEqual(job_ids);
      expect(rows.map((row) => row.amount_usd)).toEqual(['0.50', '0.20', '0.50']);
      const total = rows.reduce((sum, row) => sum + BigInt(row.amount_micro_usd!), 0n);
      expect(total).toBe(1_200_000n);
    }
    const forced = await get('/billing/v1/statements/2026-11?format=json', { accept: 'text/csv' });
    expect(forced.json().data.charge_count).toBe(3);
    await expectLedgerBalanced(t.ctx);
  });

  it('a refund is a negative line of the month it is made in (JSON and CSV), lowers the spending the cap counts, and leaves closed months unchanged', async () => {
    await makeUsageBased(t.ctx, t.ada, { spending_cap_micro_usd: 1_250_000n });
    const job_ids: string[] = [];
    for (const _ of [1, 2]) {
      job_ids.push((await submit(t.app, t.ada, PHOTO_720P)).json().data.video_id);
      await drainWorker(t.ctx);
      t.ctx.clock.advance(1_000n);
    }
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    const refund = (job_id: string, amount_usd: string) =>
      t.app.inject({
        method: 'POST',
        url: `/admin/v1/jobs/${job_id}/refunds`,
        headers: t.operator,
        payload: { amount_usd, memo: 'Glitch' },
      });
    expect((await refund(job_ids[0]!, '0.30')).statusCode).toBe(200);
    t.ctx.clock.advance(1_000n);
    const usage = (await get('/v3/users/me')).json().data.usage_based;
    expect(usage).toMatchObject({ spending_current_usd: 0.7, spending_current_micro_usd: 700_000 });
    // 0.70 charged net + a 0.75 hold > the 1.25 cap; a further 0.50 refund makes room.
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    expect((await refund(job_ids[1]!, '0.50')).statusCode).toBe(200);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await drainWorker(t.ctx);

    const json = (await get('/billing/v1/statements/2026-11')).json().data;
    expect(json).toMatchObject({
      charge_count: 3,
      refund_count: 2,
      charged_micro_usd: 1_500_000,
      refunded_micro_usd: 800_000,
      total_usd: '0.70',
      total_micro_usd: 700_000,
    });
    expect(
      json.charges.map((c: { type: string; job_id: string; amount_micro_usd: number }) => [
        c.type,
        c.job_id,
        c.amount_micro_usd,
      ]),
    ).toEqual([
      ['charge', job_ids[0], 500_000],
      ['charge', job_ids[1], 500_000],
      ['refund', job_ids[0], -300_000],
      ['refund', job_ids[1], -500_000],
      ['charge', expect.any(String), 500_000],
    ]);
    const csv = await get('/billing/v1/statements/2026-11?format=csv');
    const rows = parse(csv.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => [row.type, row.amount_usd])).toEqual([
      ['charge', '0.50'],
      ['charge', '0.50'],
      ['refund', '-0.30'],
      ['refund', '-0.50'],
      ['charge', '0.50'],
    ]);
    const total = rows.reduce((sum, row) => sum + BigInt(row.amount_micro_usd!), 0n);
    expect(total).toBe(700_000n);

    // December: the rest of November's first charge is refunded; it lands in December only.
    t.ctx.clock.set(BigInt(Date.parse('2026-12-03T00:00:00Z')));
    expect((await refund(job_ids[0]!, '0.20')).statusCode).toBe(200);
    const december = (await get('/billing/v1/statements/2026-12')).json().data;
    expect(december).toMatchObject({ charge_count: 0, refund_count: 1, total_usd: '-0.20' });
    expect(december.charges).toMatchObject([
      { type: 'refund', job_id: job_ids[0], amount_micro_usd: -200_000, duration_ms: null },
    ]);
    expect((await get('/billing/v1/statements/2026-11')).json().data).toMatchObject({
      status: 'closed',
      total_micro_usd: 700_000,
    });
    const me = (await get('/v3/users/me')).json();
    expectHeygenShape('get_v3_users_me.yaml', me);
    expect(me.data.usage_based).toMatchObject({ spending_current_micro_usd: -200_000 });
    await expectLedgerBalanced(t.ctx);
  });

  it('past months are closed and listed newest first, a month is named YYYY-MM, and a wallet account has none', async () => {
    await makeUsageBased(t.ctx, t.ada);
    await submit(t.app, t.ada, PHOTO_720P);
    await drainWorker(t.ctx);
    t.ctx.clock.set(BigInt(Date.parse('2027-01-15T00:00:00Z')));
    const list = await get('/billing/v1/statements?limit=2');
    expect(list.json()).toMatchObject({
      data: [
        { period: '2027-01', status: 'open', charge_count: 0 },
        { period: '2026-12', status: 'closed', charge_count: 0 },
      ],
      has_more: true,
      next_token: '2026-11',
    });
    const next = await get('/billing/v1/statements?limit=2&token=2026-11');
    expect(next.json()).toMatchObject({
      data: [{ period: '2026-11', status: 'closed', charge_count: 1, total_usd: '0.50' }],
      has_more: false,
    });
    const bad = await get('/billing/v1/statements/2026-13');
    expect([bad.statusCode, bad.json().error.param]).toEqual([400, 'period']);

    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const none = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/statements',
      headers: bob.headers,
    });
    expect(none.json()).toEqual({ data: [], has_more: false, next_token: null });
    await expectLedgerBalanced(t.ctx);
  });
});
