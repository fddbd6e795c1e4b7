import { describe, expect, it } from 'vitest';
import type { Customer } from '../../test/customers.ts';
import { balanceOf } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { makeUsageBased } from '../../test/usage-based.ts';
import { drainWorker, jobRow, PHOTO_720P, submit } from '../../test/videos.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { withTransaction } from '../context.ts';

const FAILING_PHOTO = { ...PHOTO_720P, script: `${'x'.repeat(135)}[simulate:fail]` };

describe.each(dialects)('per-API-key spending limits on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: { username: 'ada', paid_micro_usd: 100_000_000n },
    operator: true,
  });

  const setLimit = (key_id: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'PUT',
      url: `/admin/v1/api-keys/${key_id}/spending-limit`,
      headers: t.operator,
      payload,
    });
  const listKeys = async () =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/admin/v1/accounts/${t.ada.account_id}/api-keys`,
        headers: t.operator,
      })
    ).json().data;

  async function secondKey(): Promise<Customer> {
    const key = await withTransaction(t.ctx, (tx) =>
      createApiKey(tx, { account_id: t.ada.account_id, name: 'second' }),
    );
    return { ...t.ada, api_key: key.key, api_key_id: key.id, headers: { 'x-api-key': key.key } };
  }

  it('concurrent jobs cannot push a key past its daily limit; 402 names the key’s limit and other keys are unaffected', async () => {
    const set = await setLimit(t.ada.api_key_id, { window: 'day', amount_usd: '1.50' });
    expect(set.json().data.spending_limit).toMatchObject({ window: 'day', amount_usd: '1.50' });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => submit(t.app, t.ada, PHOTO_720P)),
    );
    expect(responses.map((res) => res.statusCode).sort()).toEqual([200, 200, 402, 402, 402, 402]);
    const refusal = responses.find((res) => res.statusCode === 402)!.json().error;
    expect(refusal).toMatchObject({
      code: 'api_key_spending_limit_exceeded',
      param: 'spending_limit',
      details: { api_key_id: t.ada.api_key_id, window: 'day', spending_limit_usd: '1.50' },
    });
    const other = await secondKey();
    expect((await submit(t.app, other, PHOTO_720P)).statusCode).toBe(200);

    // Charged $0.50 each: $0.50 of the limit is free, less than one more hold ($0.75).
    await drainWorker(t.ctx);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    const [listed] = (await listKeys()).filter(
      (key: { id: string }) => key.id === t.ada.api_key_id,
    );
    expect(listed.spending_limit).toMatchObject({
      amount_usd: '1.50',
      spent_usd: '1.00',
      held_usd: '0.00',
      period: '2026-11-18',
    });
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(1_500_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a failed job frees its part of the key’s limit', async () => {
    await setLimit(t.ada.api_key_id, { window: 'month', amount_usd: '0.75' });
    const failing = await submit(t.app, t.ada, FAILING_PHOTO);
    expect(failing.statusCode).toBe(200);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    await drainWorker(t.ctx);
    expect((await jobRow(t.ctx, failing.json().data.video_id)).status).toBe('failed');
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    await expectLedgerBalanced(t.ctx);
  });

  it('a key’s new day starts from zero at midnight of the account’s time zone, on a usage-based account too', async () => {
    await makeUsageBased(t.ctx, t.ada, { time_zone: 'America/New_York' });
    await setLimit(t.ada.api_key_id, { window: 'day', amount_usd: '1.00' });
    // 23:30 on 18 November in New York (UTC-5).
    t.ctx.clock.set(BigInt(Date.parse('2026-11-19T04:30:00Z')));
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    expect((await submit(t.app, t.ada, PHOTO_720P)).statusCode).toBe(402);
    t.ctx.clock.set(BigInt(Date.parse('2026-11-19T05:00:00Z')));
    const res = await submit(t.app, t.ada, PHOTO_720P);
    expect(res.statusCode).toBe(200);
    expect((await jobRow(t.ctx, res.json().data.video_id)).billing_pool).toBe('usage_based');
    await drainWorker(t.ctx);
    await expectLedgerBalanced(t.ctx);
  });

  it('the operator sets, shows and removes a limit; a bad window, amount or key is refused naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ window: 'week', amount_usd: '1.00' }, 'window'],
      [{ window: 'day', amount_usd: 'ten' }, 'amount_usd'],
      [{ window: 'day' }, 'amount_usd'],
    ];
    for (const [payload, param] of cases) {
      const res = await setLimit(t.ada.api_key_id, payload);
      expect([res.statusCode, res.json().error.param], JSON.stringify(payload)).toEqual([
        400,
        param,
      ]);
    }
    expect((await setLimit('key_missing', { window: 'day', amount_usd: '1' })).statusCode).toBe(
      404,
    );
    expect((await listKeys())[0].spending_limit).toBeNull();
    await setLimit(t.ada.api_key_id, { window: 'month', amount_usd: '20' });
    expect((await listKeys())[0].spending_limit).toMatchObject({
      window: 'month',
      amount_usd: '20.00',
      period: '2026-11',
    });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/admin/v1/api-keys/${t.ada.api_key_id}/spending-limit`,
      headers: t.operator,
    });
    expect(removed.json().data).toEqual({ api_key_id: t.ada.api_key_id, spending_limit: null });
    expect((await listKeys())[0].spending_limit).toBeNull();
  });
});
