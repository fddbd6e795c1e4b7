import { describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness.ts';
import {
  authorize,
  createBrowser,
  newPkce,
  REDIRECT_URI,
  tokenRequest,
} from '../../../test/oauth.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { createTestUser } from '../../../test/users.ts';

describe.each(dialects)('operator OAuth clients API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const create = (payload: object, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/admin/v1/oauth-clients',
      headers: { ...t.operator, ...extra },
      payload,
    });
  const list = () =>
    t.app.inject({ method: 'GET', url: '/admin/v1/oauth-clients', headers: t.operator });
  const remove = (client_id: string) =>
    t.app.inject({
      method: 'DELETE',
      url: `/admin/v1/oauth-clients/${client_id}`,
      headers: t.operator,
    });

  it('a confidential client gets a secret once; listings and replays never show it', async () => {
    const body = { name: 'Partner', client_type: 'confidential', redirect_uris: [REDIRECT_URI] };
    const headers = { 'idempotency-key': 'client-1' };
    const res = await create(body, headers);
    expect(res.statusCode).toBe(200);
    const created = res.json().data;
    expect(created).toMatchObject({ name: 'Partner', client_type: 'confidential' });
    expect(created.client_secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const replay = await create(body, headers);
    expect(replay.json().data).toMatchObject({ client_id: created.client_id, client_secret: null });
    const listed = await list();
    expect(listed.json().data.map((c: { client_id: string }) => c.client_id)).toEqual([
      created.client_id,
    ]);
    expect(listed.body).not.toContain(created.client_secret);
  });

  it('redirect URIs must be https (or http to localhost) without a fragment, named by index', async () => {
    for (const uri of ['http://example.com/cb', 'https://ok.example/cb#frag', 'not a url']) {
      const res = await create({ name: 'x', redirect_uris: [REDIRECT_URI, uri] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'invalid_parameter',
        param: 'redirect_uris.1',
      });
    }
    const taken = { name: 'x', redirect_uris: [REDIRECT_URI], client_id: 'fixed-client-id' };
    expect((await create(taken)).statusCode).toBe(200);
    expect((await create(taken)).statusCode).toBe(409);
  });

  it('deleting a client ends its access tokens at once; an unknown client is 404', async () => {
    const created = (await create({ name: 'CLI', redirect_uris: [REDIRECT_URI] })).json().data;
    expect(created.client_secret).toBeNull();
    const user = await createTestUser(t.ctx, t.ada.account_id);
    const pkce = newPkce();
    const query = await authorize(createBrowser(t.app), {
      client_id: created.client_id,
      pkce,
      email: user.email,
      password: user.password,
    });
    const tokens = (
      await tokenRequest(t.app, {
        grant_type: 'authorization_code',
        code: query.get('code')!,
        client_id: created.client_id,
        redirect_uri: REDIRECT_URI,
        code_verifier: pkce.verifier,
      })
    ).json();
    const me = () =>
      t.app.inject({
        method: 'GET',
        url: '/v3/users/me',
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
    expect((await me()).statusCode).toBe(200);
    expect((await remove(created.client_id)).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(401);
    expect((await remove(created.client_id)).statusCode).toBe(404);
  });
});
