import { beforeEach, describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import {
  lipsyncApi,
  PRECISION_DECLARED,
  PRECISION_DECLARED_MICRO_USD,
  SPEED_MARKED,
  SPEED_MARKED_MICRO_USD,
} from '../lipsyncs.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, getVideo, jobRow, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 50_000_000n;

describe.each(dialects)('lipsyncs through HTTP on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });
  let api: ReturnType<typeof lipsyncApi>;
  beforeEach(() => {
    api = lipsyncApi(t.app, t.ada);
  });

  const create = async (body: object): Promise<string> => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('post_v3_lipsyncs.yaml', res.json());
    return res.json().data.lipsync_id;
  };

  it.each([
    ['speed, audio marked 12.5 s', SPEED_MARKED, SPEED_MARKED_MICRO_USD, 12.5],
    ['precision, audio declared 9 s', PRECISION_DECLARED, PRECISION_DECLARED_MICRO_USD, 9],
  ])(
    '%s: holds and charges the exact price of its new audio',
    async (_name, body, price, seconds) => {
      const id = await create(body);
      expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(price);
      const pending = (await api.get(id)).json();
      expectHeygenShape('get_v3_lipsyncs_lipsync_id.yaml', pending);
      expect(pending.data).toMatchObject({ status: 'pending', duration: null, video_url: null });
      await drainWorker(t.ctx);
      const done = (await api.get(id)).json();
      expectHeygenShape('get_v3_lipsyncs_lipsync_id.yaml', done);
      expect(done.data).toMatchObject({
        id,
        status: 'completed',
        duration: seconds,
        video_url: `https://simulator.tollgate.example/lipsyncs/${id}.mp4`,
      });
      expect(done.data.billing.charged_amount_micro_usd).toBe(Number(price));
      expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
        held_micro_usd: 0n,
        settled_micro_usd: price,
        available_micro_usd: FUNDED_MICRO_USD - price,
      });
      expect(await t.wallet()).toMatchObject({
        remaining_balance_micro_usd: Number(FUNDED_MICRO_USD - price),
        settled_micro_usd: Number(price),
      });
      await expectLedgerBalanced(t.ctx);
    },
  );

  it('audio of unknown length is held at the 600 s limit and charged its actual 60 s', async () => {
    const body = { ...SPEED_MARKED, audio: { type: 'url', url: 'https://media.example/a.mp3' } };
    const id = await create(body);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(19_980_000n);
    await drainWorker(t.ctx);
    expect((await jobRow(t.ctx, id)).charged_amount_micro_usd).toBe(1_998_000n);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(1_998_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a failed lipsync costs nothing and says why', async () => {
    const body = {
      ...SPEED_MARKED,
      video: { type: 'url', url: 'https://m.example/v.mp4#simulate:fail' },
    };
    const id = await create(body);
    await drainWorker(t.ctx);
    const failed = (await api.get(id)).json();
    expectHeygenShape('get_v3_lipsyncs_lipsync_id.yaml', failed);
    expect(failed.data).toMatchObject({ status: 'failed', video_url: null });
    expect(failed.data.failure_message).toMatch(/simulate:fail/);
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('deleting a lipsync in flight cancels it for free; it is then gone', async () => {
    const id = await create(SPEED_MARKED);
    const deleted = await api.remove(id);
    expect(deleted.statusCode).toBe(200);
    expectHeygenShape('delete_v3_lipsyncs_lipsync_id.yaml', deleted.json());
    expect(deleted.json()).toEqual({ data: { id } });
    expect((await jobRow(t.ctx, id)).status).toBe('cancelled');
    expect((await api.get(id)).statusCode).toBe(404);
    expect((await api.remove(id)).statusCode).toBe(404);
    await drainWorker(t.ctx);
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(FUNDED_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('PATCH renames it; the list shows lipsyncs only, newest first, in pages', async () => {
    const first = await create(SPEED_MARKED);
    t.ctx.clock.advance(1_000n); // newest first is by creation time
    const second = await create(PRECISION_DECLARED);
    const video = await submit(t.app, t.ada, {
      type: 'avatar',
      avatar_id: 'look_photo_lena',
      script: 'Hello.',
    });
    expect(video.statusCode).toBe(200);
    const renamed = await api.rename(first, { title: 'Dubbed' });
    expect(renamed.statusCode).toBe(200);
    expectHeygenShape('patch_v3_lipsyncs_lipsync_id.yaml', renamed.json());
    expect(renamed.json().data).toMatchObject({ id: first, title: 'Dubbed' });
    const page1 = (await api.list('?limit=1')).json();
    expectHeygenShape('get_v3_lipsyncs.yaml', page1);
    expect(page1.data.map((item: { id: string }) => item.id)).toEqual([second]);
    expect(page1.has_more).toBe(true);
    const page2 = (await api.list(`?limit=1&token=${page1.next_token}`)).json();
    expect(page2).toMatchObject({ data: [{ id: first, title: 'Dubbed' }], has_more: false });
    await expectLedgerBalanced(t.ctx);
  });

  it("another account's lipsync is a 404 naming lipsync_id, and so is a lipsync asked for as a video", async () => {
    const id = await create(SPEED_MARKED);
    const bob = lipsyncApi(t.app, await createCustomer(t.ctx, { username: 'bob' }));
    for (const res of [
      await bob.get(id),
      await bob.rename(id, { title: 'x' }),
      await bob.remove(id),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'lipsync_id' });
    }
    expect((await bob.list()).json().data).toEqual([]);
    const asVideo = await getVideo(t.app, t.ada, id);
    expect(asVideo.statusCode).toBe(404);
    expect(asVideo.json().error.param).toBe('video_id');
    expect((await api.get(id)).json().data.title).toBeNull();
    await expectLedgerBalanced(t.ctx);
  });

  it.each([
    ['no audio', { video: SPEED_MARKED.video }, 'audio'],
    ['an unknown mode', { ...SPEED_MARKED, mode: 'fast' }, 'mode'],
    ['a url input without its url', { ...SPEED_MARKED, video: { type: 'url' } }, 'video.url'],
    ['a base64 input', { ...SPEED_MARKED, audio: { type: 'base64', data: 'AA' } }, 'audio.type'],
    ['an end before the start', { ...SPEED_MARKED, start_time: 5, end_time: 2 }, 'end_time'],
    [
      'declared audio over 10 minutes',
      { ...SPEED_MARKED, audio_duration_ms: 600_001 },
      'audio_duration_ms',
    ],
    ['a title over 255 characters', { ...SPEED_MARKED, title: 'x'.repeat(256) }, 'title'],
    ['an unknown fps_mode', { ...SPEED_MARKED, fps_mode: 'fast' }, 'fps_mode'],
  ])('refuses %s with a 400 naming the field, holding nothing', async (_name, body, param) => {
    const res = await api.create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('refuses an empty title on PATCH and a list limit out of range, naming the field', async () => {
    const id = await create(SPEED_MARKED);
    const rename = await api.rename(id, { title: '' });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().error.param).toBe('title');
    const list = await api.list('?limit=0');
    expect(list.statusCode).toBe(400);
    expect(list.json().error.param).toBe('limit');
  });

  it('a quote of a lipsync body answers its hold and rule and writes nothing', async () => {
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=lipsyncs',
      headers: t.ada.headers,
      payload: PRECISION_DECLARED,
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json().data).toMatchObject({
      product: 'lipsync',
      sku: 'lipsync.precision',
      rate_usd: '0.0667',
      estimate_rule: 'declared_audio_duration',
      estimated_duration_ms: 9_000,
      hold_amount_micro_usd: Number(PRECISION_DECLARED_MICRO_USD),
    });
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=lipsyncs',
      headers: t.ada.headers,
      payload: { video: SPEED_MARKED.video },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.param).toBe('audio');
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('the ledger history names the product of each hold and charge', async () => {
    await create(SPEED_MARKED);
    await submit(t.app, t.ada, { type: 'avatar', avatar_id: 'look_photo_lena', script: 'Hello.' });
    await drainWorker(t.ctx);
    const history = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/ledger',
      headers: t.ada.headers,
    });
    const entries = history.json().data as { kind: string; product: string | null }[];
    const products = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.product);
    expect(products('settlement').sort()).toEqual(['avatar_video', 'lipsync']);
    expect(products('hold').sort()).toEqual(['avatar_video', 'lipsync']);
    expect(products('grant')).toEqual([null]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a replayed create with the same Idempotency-Key admits one lipsync', async () => {
    const headers = { ...t.ada.headers, 'idempotency-key': 'ls-1' };
    const post = () =>
      t.app.inject({ method: 'POST', url: '/v3/lipsyncs', headers, payload: SPEED_MARKED });
    const first = await post();
    const second = await post();
    expect(second.json()).toEqual(first.json());
    expect((await api.list()).json().data).toHaveLength(1);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(SPEED_MARKED_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });
});

describe.each(dialects)('the concurrency limit shared by every product on %s', (dialect) => {
  const t = useServer(dialect, { env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' } });

  it('videos and lipsyncs in flight count against one limit: the third job of either is 429', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n, concurrency_limit: 2 });
    const api = lipsyncApi(t.app, ada);
    const video = { type: 'avatar', avatar_id: 'look_photo_lena', script: 'Hello.' };
    expect((await submit(t.app, ada, video)).statusCode).toBe(200);
    expect((await api.create(SPEED_MARKED)).statusCode).toBe(200);
    await drainWorker(t.ctx); // both running, due in 5 s
    for (const refused of [await api.create(SPEED_MARKED), await submit(t.app, ada, video)]) {
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limit_exceeded');
      expect(refused.headers['retry-after']).toBe('5');
    }
    t.ctx.clock.advance(5_000n);
    await drainWorker(t.ctx);
    expect((await api.create(SPEED_MARKED)).statusCode).toBe(200);
    expect((await submit(t.app, ada, video)).statusCode).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });
});
