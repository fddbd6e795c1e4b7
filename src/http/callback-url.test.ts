import { describe, expect, it } from 'vitest';
import { balanceOf } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { SPEED_MARKED } from '../../test/lipsyncs.ts';
import { useServer } from '../../test/server-fixture.ts';
import { SPEED_AUDIO_ONLY } from '../../test/translations.ts';
import { GENERATE_MARKED } from '../../test/video-agents.ts';
import { PHOTO_720P } from '../../test/videos.ts';

/** Every job-creating route that takes a `callback_url`, with a body it admits. */
const ROUTES = [
  ['/v3/videos', PHOTO_720P],
  ['/v3/lipsyncs', SPEED_MARKED],
  ['/v3/video-translations', SPEED_AUDIO_ONLY],
  ['/v3/video-agents', GENERATE_MARKED],
] as const;

const UNSAFE = [
  'http://hooks.example.com/done',
  'https://127.0.0.1/done',
  'https://[::1]:8443/done',
  'https://10.1.2.3/done',
  'https://169.254.169.254/latest/meta-data',
  'https://[::ffff:192.168.0.1]/done',
  'https://localhost:8080/done',
  'https://api.localhost./done',
  'https://user:secret@hooks.example.com/done',
  'not a url',
  `https://hooks.example.com/${'x'.repeat(2_100)}`,
];

describe.each(dialects)('callback_url checked at admission on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada', paid_micro_usd: 50_000_000n } });
  const create = (url: string, body: object) =>
    t.app.inject({ method: 'POST', url, headers: t.ada.headers, payload: body });
  const jobCount = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('an unsafe callback_url is a 400 naming callback_url on every job route, and nothing is written', async () => {
    const before = await balanceOf(t.ctx, t.ada);
    for (const [route, body] of ROUTES) {
      for (const callback_url of UNSAFE) {
        const res = await create(route, { ...body, callback_url });
        const what = `${route} ${callback_url.slice(0, 60)}`;
        expect(res.statusCode, what).toBe(400);
        expect(res.json().error, what).toMatchObject({
          code: 'invalid_parameter',
          param: 'callback_url',
        });
      }
    }
    expect(await jobCount()).toBe(0);
    expect(await balanceOf(t.ctx, t.ada)).toEqual(before);
    await expectLedgerBalanced(t.ctx);
  });

  it('a public https callback_url is admitted without resolving its name (checked again at delivery)', async () => {
    // `.invalid` never resolves (RFC 2606): admission would refuse it if it looked the name up.
    for (const [route, body] of ROUTES) {
      const res = await create(route, { ...body, callback_url: 'https://hooks.invalid/done' });
      expect(res.statusCode, route).toBe(200);
    }
    expect(await jobCount()).toBeGreaterThanOrEqual(ROUTES.length);
    await expectLedgerBalanced(t.ctx);
  });
});

describe.each(dialects)('callback_url with TOLLGATE_ALLOW_PRIVATE_URLS=1 on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: { username: 'ada', paid_micro_usd: 50_000_000n },
    env: { TOLLGATE_ALLOW_PRIVATE_URLS: '1' },
  });

  it('http and loopback callback URLs are admitted, a malformed one is still refused', async () => {
    const create = (callback_url: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v3/videos',
        headers: t.ada.headers,
        payload: { ...PHOTO_720P, callback_url },
      });
    expect((await create('http://127.0.0.1:9/done')).statusCode).toBe(200);
    expect((await create('http://localhost:9/done')).statusCode).toBe(200);
    const bad = await create('not a url');
    expect([bad.statusCode, bad.json().error.param]).toEqual([400, 'callback_url']);
    await expectLedgerBalanced(t.ctx);
  });
});
