import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects } from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { useServer } from '../../../test/server-fixture.ts';

const HOOK_URL = 'https://93.184.216.34/hooks/heygen';

describe.each(dialects)('/v3/webhooks endpoints on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada' } });

  const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers: { ...t.ada.headers, ...headers },
      payload: body,
    });
  const list = () =>
    t.app.inject({ method: 'GET', url: '/v3/webhooks/endpoints', headers: t.ada.headers });

  it('creates an endpoint in HeyGen’s shape and shows its secret only in that answer', async () => {
    const events = ['avatar_video.success', 'avatar_video.fail'];
    const res = await create({ url: HOOK_URL, events });
    expect(res.statusCode).toBe(200);
    expectHeygenShape('post_v3_webhooks_endpoints.yaml', res.json());
    const created = res.json().data;
    expect(created).toMatchObject({ url: HOOK_URL, events, status: 'enabled' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await list();
    expectHeygenShape('get_v3_webhooks_endpoints.yaml', listed.json());
    expect(listed.json()).toMatchObject({
      data: [{ endpoint_id: created.endpoint_id, secret: null, events }],
      has_more: false,
      next_token: null,
    });
  });

  it('a replay under the same Idempotency-Key makes no second endpoint and hides the secret', async () => {
    const headers = { 'idempotency-key': 'ep-1' };
    const first = await create({ url: HOOK_URL }, headers);
    const replay = await create({ url: HOOK_URL }, headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().data.endpoint_id).toBe(first.json().data.endpoint_id);
    expect(replay.json().data.secret).toBeNull();
    expect((await list()).json().data).toHaveLength(1);
  });

  it.each([
    ['http://93.184.216.34/hook', 'plain http'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://10.0.0.8/hook', 'a private address'],
    ['https://[::ffff:169.254.169.254]/hook', 'IPv4-mapped link-local'],
  ])('refuses %s (%s) with a 400 naming url and stores nothing', async (url) => {
    const res = await create({ url });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param: 'url' });
    expect((await list()).json().data).toEqual([]);
  });

  it('refuses an unknown event type naming its position, and unbounded input', async () => {
    const res = await create({ url: HOOK_URL, events: ['avatar_video.success', 'nope.event'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param: 'events.1' });
    const long = await create({ url: `${HOOK_URL}/${'x'.repeat(3_000)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.param).toBe('url');
  });

  it('PATCH replaces the event list and URL; rotate-secret gives a new secret once', async () => {
    const created = (await create({ url: HOOK_URL, events: ['avatar_video.success'] })).json().data;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v3/webhooks/endpoints/${created.endpoint_id}`,
      headers: t.ada.headers,
      payload: { url: `${HOOK_URL}/v2`, events: ['video_translate.fail', 'balance.low'] },
    });
    expect(patched.statusCode).toBe(200);
    expectHeygenShape('patch_v3_webhooks_endpoints_endpoint_id.yaml', patched.json());
    expect(patched.json().data).toMatchObject({
      url: `${HOOK_URL}/v2`,
      events: ['video_translate.fail', 'balance.low'],
      secret: null,
    });
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/v3/webhooks/endpoints/${created.endpoint_id}/rotate-secret`,
      headers: t.ada.headers,
    });
    expect(rotated.statusCode).toBe(200);
    expectHeygenShape('post_v3_webhooks_endpoints_endpoint_id_rotate_secret.yaml', rotated.json());
    expect(rotated.json().data.secret).toMatch(/^whsec_/);
    expect(rotated.json().data.secret).not.toBe(created.secret);
  });

  it('DELETE removes the endpoint; another account can neither see nor delete it', async () => {
    const created = (await create({ url: HOOK_URL })).json().data;
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const url = `/v3/webhooks/endpoints/${created.endpoint_id}`;
    const foreign = await t.app.inject({ method: 'DELETE', url, headers: bob.headers });
    expect(foreign.statusCode).toBe(404);
    const listedByBob = await t.app.inject({
      method: 'GET',
      url: '/v3/webhooks/endpoints',
      headers: bob.headers,
    });
    expect(listedByBob.json().data).toEqual([]);
    const res = await t.app.inject({ method: 'DELETE', url, headers: t.ada.headers });
    expect(res.statusCode).toBe(200);
    expectHeygenShape('delete_v3_webhooks_endpoints_endpoint_id.yaml', res.json());
    expect((await list()).json().data).toEqual([]);
    const again = await t.app.inject({ method: 'DELETE', url, headers: t.ada.headers });
    expect(again.statusCode).toBe(404);
  });

  it('needs an API key', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v3/webhooks/endpoints' });
    expect(res.statusCode).toBe(401);
  });

  it('lists every HeyGen event type and Tollgate’s billing types with descriptions', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v3/webhooks/event-types',
      headers: t.ada.headers,
    });
    expectHeygenShape('get_v3_webhooks_event_types.yaml', res.json());
    const types = res.json().data.map((item: { event_type: string }) => item.event_type);
    expect(types).toEqual(expect.arrayContaining(['avatar_video.success', 'batch.finished']));
    expect(types).toEqual(expect.arrayContaining(['balance.low', 'grant.expired']));
  });

  it('lists no events for a type Tollgate never sends, and refuses a bad page token', async () => {
    const none = await t.app.inject({
      method: 'GET',
      url: '/v3/webhooks/events?event_type=ai_clipping.success',
      headers: t.ada.headers,
    });
    expectHeygenShape('get_v3_webhooks_events.yaml', none.json());
    expect(none.json()).toEqual({ data: [], has_more: false, next_token: null });
    const bad = await t.app.inject({
      method: 'GET',
      url: '/v3/webhooks/events?token=zzz',
      headers: t.ada.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('token');
  });
});
