import { describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { DEMO_LOOKS } from '../../catalog/looks.ts';

describe.each(dialects)('avatar look routes on %s', (dialect) => {
  const t = useServer(dialect, { customer: {} });

  const get = (url: string, headers = t.ada.headers) =>
    t.app.inject({ method: 'GET', url, headers });

  it('lists every demo look in HeyGen’s AvatarLook shape, all three avatar types', async () => {
    const res = await get('/v3/avatars/looks');
    expect(res.statusCode).toBe(200);
    expectHeygenShape('get_v3_avatars_looks.yaml', res.json());
    const { data, has_more, next_token } = res.json();
    expect({ has_more, next_token }).toEqual({ has_more: false, next_token: null });
    expect(data.map((look: { id: string }) => look.id)).toEqual(DEMO_LOOKS.map((look) => look.id));
    const types = new Set(data.map((look: { avatar_type: string }) => look.avatar_type));
    expect(types).toEqual(new Set(['studio_avatar', 'digital_twin', 'photo_avatar']));
  });

  it('filters by avatar_type and pages with limit and token until has_more is false', async () => {
    const seen: string[] = [];
    let url = '/v3/avatars/looks?avatar_type=digital_twin&limit=2';
    for (let page = 0; page < 5; page++) {
      const body = (await get(url)).json();
      expectHeygenShape('get_v3_avatars_looks.yaml', body);
      seen.push(...body.data.map((look: { id: string }) => look.id));
      if (!body.has_more) break;
      url = `/v3/avatars/looks?avatar_type=digital_twin&limit=2&token=${body.next_token}`;
    }
    expect(seen).toEqual(['look_twin_sofia', 'look_twin_kenji', 'look_twin_amara']);
  });

  it('rejects a limit above 50, an unknown avatar_type and a forged token with 400', async () => {
    for (const query of ['limit=51', 'limit=0', 'avatar_type=cartoon', 'token=bm9wZQ']) {
      const res = await get(`/v3/avatars/looks?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('invalid_parameter');
    }
  });

  it('private looks are an empty list: every demo look is public', async () => {
    expect((await get('/v3/avatars/looks?ownership=private')).json().data).toEqual([]);
  });

  it('gets one look by id, and an unknown look is 404 not_found', async () => {
    const res = await get('/v3/avatars/looks/look_studio_anna');
    expectHeygenShape('get_v3_avatars_looks_look_id.yaml', res.json());
    expect(res.json().data).toMatchObject({ id: 'look_studio_anna', avatar_type: 'studio_avatar' });
    const missing = await get('/v3/avatars/looks/look_nobody');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'not_found', param: 'look_id' });
  });

  it('needs an API key', async () => {
    expect((await get('/v3/avatars/looks', {})).statusCode).toBe(401);
  });
});
