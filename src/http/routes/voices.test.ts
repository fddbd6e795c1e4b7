import { describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { PUBLIC_VOICES } from '../../catalog/voices.ts';

type Item = { voice_id: string; language: string; gender: string };

describe.each(dialects)('voice routes on %s', (dialect) => {
  const t = useServer(dialect, { customer: {} });

  const get = (url: string, headers = t.ada.headers) =>
    t.app.inject({ method: 'GET', url, headers });

  it('lists every public voice in HeyGen’s AudioVoiceItem shape, in several languages', async () => {
    const res = await get('/v3/voices');
    expect(res.statusCode).toBe(200);
    expectHeygenShape('get_v3_voices.yaml', res.json());
    const { data, has_more, next_token } = res.json();
    expect({ has_more, next_token }).toEqual({ has_more: false, next_token: null });
    expect(data.map((voice: Item) => voice.voice_id)).toEqual(
      PUBLIC_VOICES.map((voice) => voice.voice_id),
    );
    expect(new Set(data.map((voice: Item) => voice.language)).size).toBeGreaterThanOrEqual(5);
    expect(data[0]).not.toHaveProperty('engines');
  });

  it('engine=starfish lists only the voices Text-to-Speech can use, several of them', async () => {
    const body = (await get('/v3/voices?engine=starfish')).json();
    const starfish = PUBLIC_VOICES.filter((voice) => voice.engines.includes('starfish'));
    expect(body.data.map((voice: Item) => voice.voice_id)).toEqual(
      starfish.map((voice) => voice.voice_id),
    );
    expect(starfish.length).toBeGreaterThanOrEqual(4);
    expect(starfish.length).toBeLessThan(PUBLIC_VOICES.length);
    expect((await get('/v3/voices?engine=warp_drive')).json().data).toEqual([]);
  });

  it('filters by language (ignoring case) and gender together', async () => {
    const body = (await get('/v3/voices?language=spanish&gender=female')).json();
    expect(body.data.map((voice: Item) => voice.voice_id)).toEqual(['voice_es_lucia']);
  });

  it('type=private is empty: the catalog has no cloned voices', async () => {
    expect((await get('/v3/voices?type=private')).json().data).toEqual([]);
  });

  it('pages with limit and token through every voice exactly once', async () => {
    const seen: string[] = [];
    let url = '/v3/voices?limit=5';
    for (let page = 0; page < 10; page++) {
      const body = (await get(url)).json();
      expectHeygenShape('get_v3_voices.yaml', body);
      expect(body.data.length).toBeLessThanOrEqual(5);
      seen.push(...body.data.map((voice: Item) => voice.voice_id));
      if (!body.has_more) break;
      url = `/v3/voices?limit=5&token=${body.next_token}`;
    }
    expect(seen).toEqual(PUBLIC_VOICES.map((voice) => voice.voice_id));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['type=shared', 'type'],
    ['gender=robot', 'gender'],
    ['token=bm9wZQ', 'token'],
    [`language=${'x'.repeat(65)}`, 'language'],
  ])('rejects %s with 400 naming %s', async (query, param) => {
    const res = await get(`/v3/voices?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
  });

  it('gets one voice in HeyGen’s shape, and an unknown voice is 404 naming voice_id', async () => {
    const res = await get('/v3/voices/voice_fr_camille');
    expect(res.statusCode).toBe(200);
    expectHeygenShape('get_v3_voices_voice_id.yaml', res.json());
    expect(res.json().data).toMatchObject({ voice_id: 'voice_fr_camille', language: 'French' });
    const missing = await get('/v3/voices/voice_nobody');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'not_found', param: 'voice_id' });
  });

  it('needs an API key', async () => {
    expect((await get('/v3/voices', {})).statusCode).toBe(401);
    expect((await get('/v3/voices/voice_fr_camille', {})).statusCode).toBe(401);
  });
});
