import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';

describe.each(dialects)('operator API keys API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const createKey = (account_id: string, payload?: object, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/admin/v1/accounts/${account_id}/api-keys`,
      headers: { ...t.operator, ...extra },
      ...(payload === undefined ? {} : { payload }),
    });
  const listKeys = (account_id: string) =>
    t.app.inject({
      method: 'GET',
      url: `/admin/v1/accounts/${account_id}/api-keys`,
      headers: t.operator,
    });
  const me = (key: string) =>
    t.app.inject({ method: 'GET', url: '/v3/users/me', headers: { 'x-api-key': key } });

  it('a new key is shown once, authenticates as its account and lists without secrets', async () => {
    t.ctx.clock.advance(1_000n);
    const res = await createKey(t.ada.account_id, { name: 'ci' });
    expect(res.statusCode).toBe(200);
    const created = res.json().data;
    expect(created).toMatchObject({ account_id: t.ada.account_id, name: 'ci', revoked: false });
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect((await me(created.key)).json().data.username).toBe('ada');
    const listed = (await listKeys(t.ada.account_id)).json().data;
    expect(listed.map((k: { id: string }) => k.id)).toEqual([t.ada.api_key_id, created.id]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    for (const key of listed) expect(key).not.toHaveProperty('key');
  });

  it('a key may be created with no body at all', async () => {
    const res = await createKey(t.ada.account_id);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.name).toBeNull();
  });

  it('a revoked key stops authenticating at once, and revoking again is harmless', async () => {
    const revoke = () =>
      t.app.inject({
        method: 'DELETE',
        url: `/admin/v1/api-keys/${t.ada.api_key_id}`,
        headers: t.operator,
      });
    const first = await revoke();
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toMatchObject({ id: t.ada.api_key_id, revoked: true });
    expect((await me(t.ada.api_key)).statusCode).toBe(401);
    const again = await revoke();
    expect(again.json().data.revoked_at_ms).toBe(first.json().data.revoked_at_ms);
  });

  it('unknown accounts and keys are 404 not_found', async () => {
    for (const res of [
      await createKey('acct_nope', {}),
      await listKeys('acct_nope'),
      await t.app.inject({
        method: 'DELETE',
        url: '/admin/v1/api-keys/key_nope',
        headers: t.operator,
      }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('invalid bodies are 400 naming the field', async () => {
    for (const [payload, param] of [
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'ok', scope: 'all' }, 'scope'],
    ] as const) {
      const res = await createKey(t.ada.account_id, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    }
  });

  it('only the operator token manages keys: a customer key cannot revoke or list', async () => {
    const eve = await createCustomer(t.ctx, { username: 'eve' });
    const attempts = [
      { method: 'GET' as const, url: `/admin/v1/accounts/${t.ada.account_id}/api-keys` },
      { method: 'POST' as const, url: `/admin/v1/accounts/${t.ada.account_id}/api-keys` },
      { method: 'DELETE' as const, url: `/admin/v1/api-keys/${t.ada.api_key_id}` },
    ];
    for (const attempt of attempts) {
      for (const as of [{}, eve.headers, { authorization: `Bearer ${eve.api_key}` }]) {
        expect((await t.app.inject({ ...attempt, headers: as })).statusCode).toBe(401);
      }
    }
    expect((await me(t.ada.api_key)).statusCode).toBe(200);
  });

  it('a replayed create returns the same key instead of making a second one', async () => {
    const key = { 'idempotency-key': 'key-1' };
    const first = await createKey(t.ada.account_id, { name: 'ci' }, key);
    const again = await createKey(t.ada.account_id, { name: 'ci' }, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.id).toBe(first.json().data.id);
    expect((await listKeys(t.ada.account_id)).json().data).toHaveLength(2);
    const other = await createKey(t.ada.account_id, { name: 'other' }, key);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('a key created under an Idempotency-Key never stores its secret, and a replay has none', async () => {
    const key = { 'idempotency-key': 'secret-once' };
    const first = await createKey(t.ada.account_id, { name: 'ci' }, key);
    const secret: string = first.json().data.key;
    expect(secret.length).toBeGreaterThan(16);
    const stored = await t.ctx.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.response_body).not.toContain(secret);
    expect(JSON.parse(stored[0]!.response_body!).data).not.toHaveProperty('key');
    const again = await createKey(t.ada.account_id, { name: 'ci' }, key);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).not.toContain(secret);
    const { key: _secret, ...metadata } = first.json().data;
    expect(again.json()).toEqual({
      data: { ...metadata, secret_shown_once: true },
      message: expect.stringContaining('shown only in the first response'),
    });
    expect((await me(secret)).statusCode).toBe(200);
  });
});
