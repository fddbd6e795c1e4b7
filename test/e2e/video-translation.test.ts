import { beforeEach, describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { lipsyncApi, SPEED_MARKED } from '../lipsyncs.ts';
import { useServer } from '../server-fixture.ts';
import {
  PRECISION_LIP_SYNC,
  PRECISION_LIP_SYNC_MICRO_USD,
  SPEED_AUDIO_ONLY,
  SPEED_AUDIO_ONLY_MICRO_USD,
  SPEED_LIP_SYNC,
  SPEED_LIP_SYNC_MICRO_USD,
  translationApi,
  UNKNOWN_LENGTH,
} from '../translations.ts';
import { drainWorker, getVideo, jobRow, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 200_000_000n;

describe.each(dialects)('video translations through HTTP on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });
  let api: ReturnType<typeof translationApi>;
  beforeEach(() => {
    api = translationApi(t.app, t.ada);
  });

  const create = async (body: object): Promise<string[]> => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('post_v3_video_translations.yaml', res.json());
    return res.json().data.video_translation_ids;
  };

  it.each([
    ['speed audio-only', SPEED_AUDIO_ONLY, SPEED_AUDIO_ONLY_MICRO_USD, 90, 'speed.audio_only'],
    ['speed lip sync', SPEED_LIP_SYNC, SPEED_LIP_SYNC_MICRO_USD, 45, 'speed.lip_sync'],
    [
      'precision lip sync',
      PRECISION_LIP_SYNC,
      PRECISION_LIP_SYNC_MICRO_USD,
      12.5,
      'precision.lip_sync',
    ],
  ])(
    '%s: holds and charges the exact price of an output as long as its source',
    async (_name, body, price, seconds, row) => {
      const [id] = await create(body);
      expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(price);
      const pending = (await api.get(id!)).json();
      expectHeygenShape('get_v3_video_translations_video_translation_id.yaml', pending);
      expect(pending.data).toMatchObject({ status: 'pending', duration: null, video_url: null });
      await drainWorker(t.ctx);
      const done = (await api.get(id!)).json();
      expectHeygenShape('get_v3_video_translations_video_translation_id.yaml', done);
      expect(done.data).toMatchObject({
        id,
        status: 'completed',
        duration: seconds,
        output_language: body.output_languages[0],
        translate_audio_only: row === 'speed.audio_only',
        video_url: `https://simulator.tollgate.example/video-translations/${id}.mp4`,
        srt_caption_url: null,
      });
      expect(done.data.billing).toMatchObject({
        sku: `video_translation.${row}`,
        charged_amount_micro_usd: Number(price),
      });
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

  it('N output languages are N translations, each its own id, hold and charge', async () => {
    const body = { ...PRECISION_LIP_SYNC, output_languages: ['Japanese', 'Korean', 'French'] };
    const ids = await create(body);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(3n * PRECISION_LIP_SYNC_MICRO_USD);
    await drainWorker(t.ctx);
    for (const [index, id] of ids.entries()) {
      const data = (await api.get(id)).json().data;
      expect(data).toMatchObject({
        status: 'completed',
        output_language: body.output_languages[index],
      });
      expect((await jobRow(t.ctx, id)).charged_amount_micro_usd).toBe(PRECISION_LIP_SYNC_MICRO_USD);
    }
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(
      3n * PRECISION_LIP_SYNC_MICRO_USD,
    );
    const list = (await api.list()).json();
    expectHeygenShape('get_v3_video_translations.yaml', list);
    expect(list.data.map((item: { id: string }) => item.id).sort()).toEqual([...ids].sort());
    await expectLedgerBalanced(t.ctx);
  });

  it('a source of unknown length is held at one hour and charged its actual 60 s', async () => {
    const [id] = await create(UNKNOWN_LENGTH);
    expect(await jobRow(t.ctx, id!)).toMatchObject({
      estimate_rule: 'video_limit_3600_s',
      hold_amount_micro_usd: 119_880_000n,
    });
    await drainWorker(t.ctx);
    expect((await jobRow(t.ctx, id!)).charged_amount_micro_usd).toBe(1_998_000n);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(1_998_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('precision audio-only is not offered: a 400 naming translate_audio_only, nothing held', async () => {
    const res = await api.create({ ...PRECISION_LIP_SYNC, translate_audio_only: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid_parameter',
      param: 'translate_audio_only',
    });
    expect(res.json().error.message).toMatch(/speed mode only/);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('a failed translation costs nothing and says why', async () => {
    const body = {
      ...SPEED_AUDIO_ONLY,
      title: 'Dub [simulate:fail]',
      output_languages: ['Thai', 'Czech'],
    };
    const ids = await create(body);
    await drainWorker(t.ctx);
    for (const id of ids) {
      const failed = (await api.get(id)).json();
      expectHeygenShape('get_v3_video_translations_video_translation_id.yaml', failed);
      expect(failed.data).toMatchObject({ status: 'failed', video_url: null });
      expect(failed.data.failure_message).toMatch(/simulate:fail/);
    }
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('captions are produced with enable_caption', async () => {
    const [id] = await create({ ...SPEED_LIP_SYNC, enable_caption: true });
    await drainWorker(t.ctx);
    expect((await api.get(id!)).json().data.srt_caption_url).toBe(
      `https://simulator.tollgate.example/video-translations/${id}.srt`,
    );
  });

  it('deleting a translation in flight cancels it for free; it is then gone', async () => {
    const [id, other] = await create({
      ...SPEED_LIP_SYNC,
      output_languages: ['French', 'Italian'],
    });
    const deleted = await api.remove(id!);
    expect(deleted.statusCode).toBe(200);
    expectHeygenShape('delete_v3_video_translations_video_translation_id.yaml', deleted.json());
    expect(deleted.json()).toEqual({ data: { id } });
    expect((await jobRow(t.ctx, id!)).status).toBe('cancelled');
    expect((await api.get(id!)).statusCode).toBe(404);
    expect((await api.remove(id!)).statusCode).toBe(404);
    await drainWorker(t.ctx);
    expect((await api.get(other!)).json().data.status).toBe('completed');
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(SPEED_LIP_SYNC_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('PATCH renames it; the list shows translations only, newest first, in pages', async () => {
    const [first] = await create(SPEED_AUDIO_ONLY);
    t.ctx.clock.advance(1_000n);
    const [second] = await create(SPEED_LIP_SYNC);
    expect((await lipsyncApi(t.app, t.ada).create(SPEED_MARKED)).statusCode).toBe(200);
    const renamed = await api.rename(first!, { title: 'Spanish dub' });
    expect(renamed.statusCode).toBe(200);
    expectHeygenShape('patch_v3_video_translations_video_translation_id.yaml', renamed.json());
    expect(renamed.json().data).toMatchObject({ id: first, title: 'Spanish dub' });
    const page1 = (await api.list('?limit=1')).json();
    expectHeygenShape('get_v3_video_translations.yaml', page1);
    expect(page1.data.map((item: { id: string }) => item.id)).toEqual([second]);
    expect(page1.has_more).toBe(true);
    const page2 = (await api.list(`?limit=1&token=${page1.next_token}`)).json();
    expect(page2).toMatchObject({ data: [{ id: first, title: 'Spanish dub' }], has_more: false });
    await expectLedgerBalanced(t.ctx);
  });

  it('lists the supported output languages in HeyGen shape', async () => {
    const res = await api.languages();
    expect(res.statusCode).toBe(200);
    expectHeygenShape('get_v3_video_translations_languages.yaml', res.json());
    expect(res.json().data.languages).toContain('Spanish (Spain)');
  });

  it("another account's translation is a 404 naming video_translation_id, and so is one asked for as a video", async () => {
    const [id] = await create(SPEED_AUDIO_ONLY);
    const bob = translationApi(t.app, await createCustomer(t.ctx, { username: 'bob' }));
    for (const res of [
      await bob.get(id!),
      await bob.rename(id!, { title: 'x' }),
      await bob.remove(id!),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'video_translation_id' });
    }
    expect((await bob.list()).json().data).toEqual([]);
    const asVideo = await getVideo(t.app, t.ada, id!);
    expect(asVideo.statusCode).toBe(404);
    expect((await api.get(id!)).json().data.title).toBeNull();
    await expectLedgerBalanced(t.ctx);
  });

  const twentyOne = Array.from({ length: 21 }, (_, i) => `Lang ${i}`);
  it.each([
    ['no video', { output_languages: ['French'] }, 'video'],
    ['no output_languages', { video: SPEED_LIP_SYNC.video }, 'output_languages'],
    ['an empty output_languages', { ...SPEED_LIP_SYNC, output_languages: [] }, 'output_languages'],
    ['21 output languages', { ...SPEED_LIP_SYNC, output_languages: twentyOne }, 'output_languages'],
    [
      'an unknown language',
      { ...SPEED_LIP_SYNC, output_languages: ['French', 'Klingon'] },
      'output_languages.1',
    ],
    [
      'a language twice',
      { ...SPEED_LIP_SYNC, output_languages: ['French', 'French'] },
      'output_languages.1',
    ],
    ['an unknown mode', { ...SPEED_LIP_SYNC, mode: 'fast' }, 'mode'],
    ['a url input without its url', { ...SPEED_LIP_SYNC, video: { type: 'url' } }, 'video.url'],
    ['a base64 input', { ...SPEED_LIP_SYNC, video: { type: 'base64', data: 'AA' } }, 'video.type'],
    ['an end before the start', { ...SPEED_LIP_SYNC, start_time: 5, end_time: 2 }, 'end_time'],
    ['a start past an hour', { ...SPEED_LIP_SYNC, start_time: 3_601 }, 'start_time'],
    [
      'a source over an hour',
      { ...SPEED_LIP_SYNC, video_duration_ms: 3_600_001 },
      'video_duration_ms',
    ],
    ['a title over 255 characters', { ...SPEED_LIP_SYNC, title: 'x'.repeat(256) }, 'title'],
    ['zero speakers', { ...SPEED_LIP_SYNC, speaker_num: 0 }, 'speaker_num'],
    ['an unknown srt_role', { ...SPEED_LIP_SYNC, srt_role: 'both' }, 'srt_role'],
    ['an unknown field', { ...SPEED_LIP_SYNC, colour: 'red' }, 'colour'],
  ])('refuses %s with a 400 naming the field, holding nothing', async (_name, body, param) => {
    const res = await api.create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('refuses an empty title on PATCH and a list limit out of range, naming the field', async () => {
    const [id] = await create(SPEED_AUDIO_ONLY);
    const rename = await api.rename(id!, { title: '' });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().error.param).toBe('title');
    const list = await api.list('?limit=101');
    expect(list.statusCode).toBe(400);
    expect(list.json().error.param).toBe('limit');
  });

  it('a request is admitted whole or not at all: short funds for the last language hold nothing', async () => {
    const poor = await createCustomer(t.ctx, { username: 'poor', paid_micro_usd: 1_600_000n });
    const res = await translationApi(t.app, poor).create({
      ...SPEED_AUDIO_ONLY,
      output_languages: ['French', 'German'],
    });
    expect(res.statusCode).toBe(402);
    expect(res.json().error.code).toBe('insufficient_credit');
    expect((await balanceOf(t.ctx, poor)).held_micro_usd).toBe(0n);
    expect((await translationApi(t.app, poor).list()).json().data).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a quote of a translation body answers the hold of each output language and writes nothing', async () => {
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=video-translations',
      headers: t.ada.headers,
      payload: { ...SPEED_LIP_SYNC, output_languages: ['French', 'German'] },
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json().data).toMatchObject({
      product: 'video_translation',
      sku: 'video_translation.speed.lip_sync',
      rate_usd: '0.0333',
      estimate_rule: 'declared_video_duration',
      estimated_duration_ms: 45_000,
      hold_amount_micro_usd: Number(SPEED_LIP_SYNC_MICRO_USD),
    });
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('a replayed create with the same Idempotency-Key admits its translations once', async () => {
    const headers = { ...t.ada.headers, 'idempotency-key': 'vt-1' };
    const body = { ...SPEED_AUDIO_ONLY, output_languages: ['French', 'German'] };
    const post = () =>
      t.app.inject({ method: 'POST', url: '/v3/video-translations', headers, payload: body });
    const first = await post();
    const second = await post();
    expect(second.json()).toEqual(first.json());
    expect((await api.list()).json().data).toHaveLength(2);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(2n * SPEED_AUDIO_ONLY_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });
});

describe.each(dialects)('translations and the shared concurrency limit on %s', (dialect) => {
  const t = useServer(dialect, { env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' } });

  it('each output language takes a slot; a request needing more than are free is 429 and admits none', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 50_000_000n, concurrency_limit: 3 });
    const api = translationApi(t.app, ada);
    const video = { type: 'avatar', avatar_id: 'look_photo_lena', script: 'Hello.' };
    expect((await submit(t.app, ada, video)).statusCode).toBe(200);
    const two = { ...SPEED_AUDIO_ONLY, output_languages: ['French', 'German'] };
    expect((await api.create(two)).statusCode).toBe(200);
    const refused = await api.create(SPEED_AUDIO_ONLY);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limit_exceeded');
    expect((await submit(t.app, ada, video)).statusCode).toBe(429);
    expect((await api.list()).json().data).toHaveLength(2);
    await drainWorker(t.ctx);
    t.ctx.clock.advance(5_000n);
    await drainWorker(t.ctx);
    const three = { ...SPEED_AUDIO_ONLY, output_languages: ['French', 'German', 'Thai', 'Czech'] };
    const tooMany = await api.create(three);
    expect(tooMany.statusCode).toBe(429);
    expect((await balanceOf(t.ctx, ada)).held_micro_usd).toBe(0n);
    expect(
      (await api.create({ ...three, output_languages: ['Thai', 'Czech', 'Greek'] })).statusCode,
    ).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });
});
