import { describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { authenticateUser } from '../../users/sign-in.ts';

describe.each(dialects)('operator users API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const createUser = (account_id: string, payload: object, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/admin/v1/accounts/${account_id}/users`,
      headers: { ...t.operator, ...extra },
      payload,
    });
  const listUsers = (account_id: string) =>
    t.app.inject({
      method: 'GET',
      url: `/admin/v1/accounts/${account_id}/users`,
      headers: t.operator,
    });
  const body = { email: 'Ada@Example.com', password: 'a long passphrase', name: 'Ada' };

  it('a created user can sign in, and is listed without any password or hash', async () => {
    const res = await createUser(t.ada.account_id, body);
    expect(res.statusCode).toBe(200);
    const created = res.json().data;
    expect(created).toMatchObject({
      account_id: t.ada.account_id,
      email: 'ada@example.com',
      name: 'Ada',
    });
    const listed = await listUsers(t.ada.account_id);
    expect(listed.json().data).toEqual([created]);
    expect(listed.body).not.toContain('argon2');
    expect(listed.body).not.toContain(body.password);
    const signedIn = await authenticateUser(t.ctx, { email: body.email, password: body.password });
    expect(signedIn).toEqual({ user_id: created.id, account_id: t.ada.account_id });
  });

  it('a create retried with its Idempotency-Key replays the same user and makes no second', async () => {
    const headers = { 'idempotency-key': 'user-1' };
    const first = await createUser(t.ada.account_id, body, headers);
    const again = await createUser(t.ada.account_id, body, headers);
    expect(again.statusCode).toBe(200);
    expect(again.json().data.id).toBe(first.json().data.id);
    expect((await listUsers(t.ada.account_id)).json().data).toHaveLength(1);
  });

  it('bad input is a 4xx naming the field: email, password, unknown field, taken email', async () => {
    for (const [payload, status, param] of [
      [{ ...body, email: 'nope' }, 400, 'email'],
      [{ ...body, password: 'short' }, 400, 'password'],
      [{ email: body.email }, 400, 'password'],
      [{ ...body, role: 'admin' }, 400, 'role'],
    ] as const) {
      const res = await createUser(t.ada.account_id, payload);
      expect(res.statusCode).toBe(status);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    }
    await createUser(t.ada.account_id, body);
    const taken = await createUser(t.ada.account_id, { ...body, email: 'ADA@example.com' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'email_taken', param: 'email' });
  });

  it('an unknown account is 404 and the routes need the operator token', async () => {
    expect((await createUser('acct_nope', body)).statusCode).toBe(404);
    expect((await listUsers('acct_nope')).statusCode).toBe(404);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/accounts/${t.ada.account_id}/users`,
      headers: t.ada.headers,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
