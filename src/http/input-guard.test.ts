import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { PHOTO_720P } from '../../test/videos.ts';
import { encodePageCursor } from '../shared/page-token.ts';

const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

function expectRefused(res: LightMyRequestResponse, status: number, param: string | null) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.error).toMatchObject({ code: expect.any(String), param });
  expect(body.request_id).toBe(res.headers['x-request-id']);
}

describe.each(dialects)('bad input is a clean 4xx on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 20_000_000n }, operator: true });

  const jobCount = async () => (await t.ctx.db.selectFrom('jobs').select('id').execute()).length;
  const post = (url: string, payload: string, headers = t.ada.headers) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload,
    });

  it('a NUL in a path parameter, query, header, body field or page token is a 400 naming it', async () => {
    const token = encodePageCursor({ created_at_ms: 1n, id: 'job_\u0000' });
    const gets: Array<[string, Record<string, string>, string]> = [
      ['/v3/videos/job%00x', t.ada.headers, 'video_id'],
      ['/v3/videos?title=a%00b', t.ada.headers, 'title'],
      [`/v3/videos?token=${token}`, t.ada.headers, 'token'],
      ['/v3/avatars/looks/%00', t.ada.headers, 'look_id'],
      ['/billing/v1/ledger?token=%00', t.ada.headers, 'token'],
      ['/admin/v1/accounts/acct%00', t.operator, 'account_id'],
      ['/v3/videos', { 'x-api-key': 'key\u0000' }, 'x-api-key'],
      ['/admin/v1/accounts', { authorization: 'Bearer a\u0000' }, 'authorization'],
    ];
    for (const [url, headers, param] of gets) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expectRefused(res, 400, param);
      expect(res.json().error.code).toBe('invalid_parameter');
    }
    const bodies: Array<[string, string, string]> = [
      ['/v3/videos', JSON.stringify({ ...PHOTO_720P, script: 'a\u0000' }), 'script'],
      [
        '/v3/videos',
        JSON.stringify({ ...PHOTO_720P, extra: { deep: ['\u0000'] } }),
        'extra.deep.0',
      ],
      ['/billing/v1/quote', JSON.stringify({ ...PHOTO_720P, 'k\u0000': 1 }), 'k\u0000'],
    ];
    for (const [url, payload, param] of bodies) expectRefused(await post(url, payload), 400, param);
    const res = await post('/admin/v1/accounts', '{"username":"a\\u0000"}', t.operator);
    expectRefused(res, 400, 'username');
    expect(await jobCount()).toBe(0);
    expect(await t.ctx.db.selectFrom('accounts').select('id').execute()).toHaveLength(1);
  });

  it('a body nested past body_depth_max is a 400 on every JSON route, not a stack overflow', async () => {
    const max = t.ctx.config.limits.body_depth_max;
    for (const url of ['/v3/videos', '/v3/lipsyncs', '/billing/v1/quote']) {
      expectRefused(await post(url, deepJson(5_000)), 400, null);
      expectRefused(await post(url, `{"type":"avatar","x":${deepJson(max)}}`), 400, null);
    }
    expectRefused(await post('/admin/v1/accounts', deepJson(5_000), t.operator), 400, null);
    // Exactly at the limit is parsed and judged by the schema.
    const atLimit = await post('/v3/videos', `{"type":"avatar","x":${deepJson(max - 1)}}`);
    expect(atLimit.json().error.message).not.toMatch(/deeper/);
    expect(await jobCount()).toBe(0);
  });

  it('a request stored with a job is bounded: a free test job with 100 KB of junk is a 413', async () => {
    const junk = JSON.stringify({ ...PHOTO_720P, test: true, junk: 'x'.repeat(100_000) });
    for (const url of ['/v3/videos', '/v3/lipsyncs', '/billing/v1/quote']) {
      const res = await post(url, junk);
      expectRefused(res, 413, null);
      expect(res.json().error.code).toBe('payload_too_large');
    }
    const longScript = JSON.stringify({ ...PHOTO_720P, script: 'x'.repeat(5_001) });
    expectRefused(await post('/v3/videos', longScript), 400, 'script');
    const manyIds = JSON.stringify({ ...PHOTO_720P, avatar_id: Array(17).fill('look_twin_sofia') });
    expectRefused(await post('/v3/videos', manyIds), 400, 'avatar_id');
    expect(await jobCount()).toBe(0);
  });

  it('non-finite, fractional, negative, huge or non-decimal numbers in a query are a 400 naming them', async () => {
    const texts = ['Infinity', '-Infinity', 'NaN', '1e400', '1e2', '0x10', '2.5', '-1', '0', ' 5'];
    const urls = ['/v3/videos', '/v3/avatars/looks', '/billing/v1/ledger'];
    for (const url of urls) {
      for (const text of [...texts, '99999999999999999999', '101']) {
        const res = await t.app.inject({
          method: 'GET',
          url: `${url}?limit=${encodeURIComponent(text)}`,
          headers: t.ada.headers,
        });
        expectRefused(res, 400, 'limit');
      }
    }
    const admin = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/accounts?limit=Infinity',
      headers: t.operator,
    });
    expectRefused(admin, 400, 'limit');
    const fine = await t.app.inject({
      method: 'GET',
      url: '/v3/videos?limit=7',
      headers: t.ada.headers,
    });
    expect(fine.statusCode).toBe(200);
  });

  it('errors raised before our handlers use the envelope with request_id', async () => {
    const cases: Array<[string, string, Record<string, string>, string | undefined, number]> = [
      ['GET', '/v3/videos/%', t.ada.headers, undefined, 400],
      [
        'GET',
        `/v3/videos/${'x'.repeat(t.ctx.config.limits.path_param_chars_max + 1)}`,
        t.ada.headers,
        undefined,
        414,
      ],
      ['GET', '/nowhere', {}, undefined, 404],
      ['PATCH', '/v3/videos', t.ada.headers, undefined, 404],
      ['POST', '/v3/videos', { ...t.ada.headers, 'content-type': 'application/xml' }, '<a/>', 415],
      ['POST', '/v3/videos', { ...t.ada.headers, 'content-type': 'application/json' }, '{bad', 400],
      ['POST', '/v3/videos', { ...t.ada.headers, 'content-type': 'application/json' }, '', 400],
      [
        'POST',
        '/admin/v1/accounts',
        { ...t.operator, 'content-type': 'application/json' },
        JSON.stringify({ username: 'x'.repeat(t.ctx.config.limits.body_size_bytes_max) }),
        413,
      ],
    ];
    for (const [method, url, headers, payload, status] of cases) {
      const res = await t.app.inject({ method: method as 'GET', url, headers, payload });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectRefused(res, status, status === 415 ? 'Content-Type' : null);
    }
  });

  it('a DELETE or GET with content-type application/json and no body is not an error', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: t.ada.headers,
      payload: PHOTO_720P,
    });
    const id = created.json().data.video_id;
    const json = { ...t.ada.headers, 'content-type': 'application/json' };
    const got = await t.app.inject({ method: 'GET', url: `/v3/videos/${id}`, headers: json });
    expect(got.statusCode).toBe(200);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/v3/videos/${id}`,
      headers: json,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json().data).toEqual({ id, deleted: true });
  });
});
