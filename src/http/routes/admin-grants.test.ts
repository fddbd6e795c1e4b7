import { describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { claimIdempotencyKey, hashRequest } from '../../idempotency/idempotency.ts';
import { getWalletBalance } from '../../wallets/balance.ts';

describe.each(dialects)('operator grants API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const grant = (
    payload: object,
    extra: Record<string, string> = {},
    account_id = t.ada.account_id,
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/admin/v1/accounts/${account_id}/grants`,
      headers: { ...t.operator, ...extra },
      payload,
    });
  const available = async () =>
    (await getWalletBalance(t.ctx.db, t.ada.account_id)).available_micro_usd;

  it('a grant credits the wallet exactly and returns the grant with the new balance', async () => {
    const paid = await grant({ amount_usd: '100.000001', kind: 'paid', memo: 'invoice 7' });
    expect(paid.statusCode).toBe(200);
    expect(paid.json().data).toMatchObject({
      account_id: t.ada.account_id,
      kind: 'paid',
      amount_micro_usd: 100_000_001,
      amount_usd: '100.000001',
      memo: 'invoice 7',
      wallet: { available_micro_usd: 100_000_001, paid_available_micro_usd: 100_000_001 },
    });
    const promo = await grant({ amount_usd: '2.5', kind: 'promotional' });
    expect(promo.json().data).toMatchObject({
      amount_usd: '2.50',
      memo: null,
      wallet: { available_usd: '102.500001', promotional_available_micro_usd: 2_500_000 },
    });
    expect(await available()).toBe(102_500_001n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a grant takes priority, expires_at and source, and the grant list shows each with what it has left', async () => {
    const res = await grant({
      amount_usd: '3.00',
      kind: 'promotional',
      memo: 'Spring promo',
      priority: 7,
      expires_at: '2099-03-01T00:00:00Z',
      source: 'promotion',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      priority: 7,
      source: 'promotion',
      expires_at: '2099-03-01T00:00:00.000Z',
    });
    const list = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/accounts/${t.ada.account_id}/grants`,
      headers: t.operator,
    });
    expect(list.json()).toMatchObject({
      has_more: false,
      data: [
        {
          id: res.json().data.id,
          status: 'open',
          remaining_micro_usd: 3_000_000,
          held_micro_usd: 0,
          expired_micro_usd: 0,
          revoked_micro_usd: 0,
        },
      ],
    });
    const bad = await grant({ amount_usd: '1', kind: 'paid', source: 'payment' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('source');
    await expectLedgerBalanced(t.ctx);
  });

  it('amounts that are not exact positive micro-dollars are 400 amount_usd, moving nothing', async () => {
    for (const amount_usd of ['0', '0.00', '-1', '1e3', 'abc', '0.0000001', '1,000', '']) {
      const res = await grant({ amount_usd, kind: 'paid' });
      expect(res.statusCode, amount_usd).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param: 'amount_usd' });
    }
    const tooLarge = await grant({ amount_usd: '1000000000.000001', kind: 'paid' });
    expect(tooLarge.json().error).toMatchObject({ param: 'amount_usd' });
    expect(await available()).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a missing or unknown kind and unknown fields are 400', async () => {
    for (const [payload, param] of [
      [{ amount_usd: '1.00' }, 'kind'],
      [{ amount_usd: '1.00', kind: 'gift' }, 'kind'],
      [{ kind: 'paid' }, 'amount_usd'],
      [{ amount_usd: '1.00', kind: 'paid', currency: 'eur' }, 'currency'],
    ] as const) {
      const res = await grant(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    }
  });

  it('a grant to an unknown account is 404 and moves nothing', async () => {
    const res = await grant({ amount_usd: '1.00', kind: 'paid' }, {}, 'acct_nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', param: 'account_id' });
    await expectLedgerBalanced(t.ctx);
  });

  it('only the operator grants: no token, a wrong one or a customer key is 401', async () => {
    for (const as of [{}, { authorization: 'Bearer nope' }, t.ada.headers]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/admin/v1/accounts/${t.ada.account_id}/grants`,
        headers: as,
        payload: { amount_usd: '1.00', kind: 'paid' },
      });
      expect(res.statusCode).toBe(401);
    }
    expect(await available()).toBe(0n);
  });

  it('a retried grant with the same key credits once and replays the first response', async () => {
    const key = { 'idempotency-key': 'topup-2026-11-25' };
    const body = { amount_usd: '10.00', kind: 'paid', memo: null };
    const first = await grant(body, key);
    const again = await grant({ kind: 'paid', memo: null, amount_usd: '10.00' }, key);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await available()).toBe(10_000_000n);
    const other = await grant({ ...body, amount_usd: '11.00' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({
      code: 'idempotency_key_reused',
      param: 'Idempotency-Key',
    });
    expect(await available()).toBe(10_000_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a grant refused for an unknown account (404) is stored and replayed, not re-run', async () => {
    const key = { 'idempotency-key': 'to-nowhere' };
    const body = { amount_usd: '1.00', kind: 'paid' };
    const first = await grant(body, key, 'acct_nope');
    const again = await grant(body, key, 'acct_nope');
    expect(again.statusCode).toBe(404);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it('a grant whose key is in flight is 409 request_in_progress and credits nothing', async () => {
    const body = { amount_usd: '5.00', kind: 'paid', memo: null };
    await claimIdempotencyKey(t.ctx, {
      scope: `operator POST /admin/v1/accounts/:account_id/grants {"account_id":"${t.ada.account_id}"}`,
      key: 'busy',
      request_hash: hashRequest(body),
      owner_node_id: 'node_other',
    });
    const res = await grant(body, { 'idempotency-key': 'busy' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('request_in_progress');
    expect(await available()).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });
});
