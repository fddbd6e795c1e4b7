import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';

describe.each(dialects)('HTTP error envelope on %s', (dialect) => {
  const t = useServer(dialect);

  it('an unknown route is a 404 in HeyGen’s envelope with a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v3/nothing-here' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body.error).toMatchObject({ code: 'not_found', param: null });
    expect(body.request_id).toBe(res.headers['x-request-id']);
  });

  it('a customer route without an API key is 401 authentication_failed', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v3/users/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('authentication_failed');
  });

  it('an operator route with a wrong token is 401 and the health check needs none', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/accounts',
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      data: { status: 'ok' },
    });
  });
});
