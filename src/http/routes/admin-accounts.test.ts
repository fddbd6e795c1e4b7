import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { operatorHeaders } from '../../../test/operator.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { claimIdempotencyKey, hashRequest } from '../../idempotency/idempotency.ts';

describe.each(dialects)('operator accounts API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true });

  const create = (payload: object, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/admin/v1/accounts',
      headers: { ...t.operator, ...extra },
      payload,
    });
  const get = (url: string, as = t.operator) => t.app.inject({ method: 'GET', url, headers: as });

  it('creating an account returns its id and fields, with defaults for omitted ones', async () => {
    const res = await create({ username: 'ada', email: 'ada@example.com', enterprise: true });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({
      username: 'ada',
      email: 'ada@example.com',
      first_name: null,
      last_name: null,
      existing_avatar_iii_customer: false,
      enterprise: true,
      concurrency_limit: t.ctx.config.limits.concurrent_jobs_default,
    });
    expect(data.id).toMatch(/^acct_/);
    const shown = await get(`/admin/v1/accounts/${data.id}`);
    expect(shown.json().data).toMatchObject({
      id: data.id,
      wallet: { available_micro_usd: 0, available_usd: '0.00', held_micro_usd: 0 },
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('invalid bodies are 400 invalid_parameter naming the field, and write nothing', async () => {
    const cases: Array<[object, string | null]> = [
      [{}, 'username'],
      [{ username: 'has space' }, 'username'],
      [{ username: 'ada', email: 'not-an-email' }, 'email'],
      [{ username: 'ada', concurrency_limit: 0 }, 'concurrency_limit'],
      [{ username: 'ada', enterprise: 'maybe' }, 'enterprise'],
      [{ username: 'ada', surprise: 1 }, 'surprise'],
    ];
    for (const [payload, param] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    }
    expect(await t.ctx.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
  });

  it('a taken username is 409 username_taken', async () => {
    await create({ username: 'ada' });
    const res = await create({ username: 'ada' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'username_taken', param: 'username' });
  });

  it('every operator route needs the operator token; a customer API key is not one', async () => {
    const customer = await createCustomer(t.ctx, { username: 'eve' });
    const urls = ['/admin/v1/accounts', `/admin/v1/accounts/${customer.account_id}`];
    for (const as of [{}, customer.headers, operatorHeaders('wrong-token')]) {
      for (const url of urls) expect((await get(url, as)).statusCode).toBe(401);
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/v1/accounts',
        headers: as,
        payload: { username: 'mallory' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('authentication_failed');
    }
    expect(await t.ctx.db.selectFrom('accounts').select('username').execute()).toEqual([
      { username: 'eve' },
    ]);
  });

  it('an unknown account is 404 not_found', async () => {
    for (const url of ['/admin/v1/accounts/acct_nope', '/admin/v1/accounts/acct_nope/ledger']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'account_id' });
    }
  });

  it('the list pages newest first with has_more and next_token, stable under inserts', async () => {
    for (const username of ['a1', 'a2', 'a3']) {
      await create({ username });
      t.ctx.clock.advance(1_000n);
    }
    const first = (await get('/admin/v1/accounts?limit=2')).json();
    expect(first.data.map((a: { username: string }) => a.username)).toEqual(['a3', 'a2']);
    expect(first.has_more).toBe(true);
    await create({ username: 'a4' });
    const second = (await get(`/admin/v1/accounts?limit=2&token=${first.next_token}`)).json();
    expect(second).toMatchObject({ has_more: false, next_token: null });
    expect(second.data.map((a: { username: string }) => a.username)).toEqual(['a1']);
  });

  it('a bad limit or token is 400 naming it', async () => {
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['token=%21%21', 'token'],
    ]) {
      const res = await get(`/admin/v1/accounts?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    }
  });

  it('a replayed create returns the first response; another body with the key is 409', async () => {
    const key = { 'idempotency-key': 'create-ada' };
    const first = await create({ username: 'ada' }, key);
    const again = await create({ username: 'ada' }, key);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const other = await create({ username: 'bob' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(await t.ctx.db.selectFrom('accounts').select('username').execute()).toHaveLength(1);
  });

  it('a create whose key is still in flight is 409 request_in_progress and runs nothing', async () => {
    // The hash is of the validated body, defaults included, as the first request stored it.
    const validated = {
      username: 'ada',
      email: null,
      first_name: null,
      last_name: null,
      existing_avatar_iii_customer: false,
      enterprise: false,
      concurrency_limit: null,
      overdraft_limit_usd: '0',
    };
    // Claimed by another live node: its lease has not ended.
    await claimIdempotencyKey(t.ctx, {
      scope: 'operator POST /admin/v1/accounts {}',
      key: 'busy',
      request_hash: hashRequest(validated),
      owner_node_id: 'node_other',
    });
    const res = await create({ username: 'ada' }, { 'idempotency-key': 'busy' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('request_in_progress');
    expect(await t.ctx.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
  });
});
