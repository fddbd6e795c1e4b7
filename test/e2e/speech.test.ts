import { beforeEach, describe, expect, it } from 'vitest';
import {
  avatarApi,
  SPEECH_150_CHARS,
  SPEECH_150_CHARS_HOLD_MICRO_USD,
  SPEECH_150_CHARS_MICRO_USD,
} from '../avatars.ts';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, jobRow, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 1_000_000n;

describe.each(dialects)('Text-to-Speech through HTTP on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });
  let api: ReturnType<typeof avatarApi>;
  beforeEach(() => {
    api = avatarApi(t.app, t.ada);
  });

  const history = async () =>
    (
      await t.app.inject({ method: 'GET', url: '/billing/v1/ledger', headers: t.ada.headers })
    ).json().data as { kind: string; product: string | null; amount_micro_usd: number }[];

  it.each([
    ['150 characters at speed 1: 10 s', SPEECH_150_CHARS, 10, SPEECH_150_CHARS_MICRO_USD],
    [
      '150 characters at speed 1.5: 6.667 s',
      { ...SPEECH_150_CHARS, speed: 1.5 },
      6.667,
      // 6,667 ms × 667 µUSD/s = 4,446.889 → 4,447
      4_447n,
    ],
    [
      'a text marked 2.5 s',
      { text: 'Hi [simulate:duration=2.5]', voice_id: 'voice_ja_yui' },
      2.5,
      // 2,500 ms × 667 µUSD/s = 1,667.5 → 1,668
      1_668n,
    ],
  ])(
    '%s answers at once and charges exactly $0.000667 per second of the returned audio',
    async (_name, body, seconds, price) => {
      const res = await api.speak(body);
      expect(res.statusCode, res.body).toBe(200);
      expectHeygenShape('post_v3_voices_speech.yaml', res.json());
      const data = res.json().data;
      expect(data).toMatchObject({
        duration: seconds,
        request_id: expect.stringMatching(/^speech_/),
      });
      expect(data.audio_url).toMatch(/^https:\/\/simulator\.tollgate\.example\/speech\/.+\.mp3$/);
      expect(data.word_timestamps.length).toBeGreaterThan(0);
      expect(data.word_timestamps.at(-1).end).toBe(seconds);
      expect(data.billing.charged_amount_micro_usd).toBe(Number(price));
      expect((await jobRow(t.ctx, data.request_id)).charged_amount_micro_usd).toBe(price);
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

  it('goes through hold → engine → settle: the hold is the estimate, the settlement the actual price, each naming text_to_speech', async () => {
    const res = await api.speak(SPEECH_150_CHARS);
    expect(res.json().data.billing).toMatchObject({
      estimate_rule: 'script_chars_at_10_per_s',
      hold_amount_micro_usd: Number(SPEECH_150_CHARS_HOLD_MICRO_USD),
    });
    const entries = await history();
    expect(entries.filter((e) => e.kind !== 'grant')).toEqual([
      expect.objectContaining({
        kind: 'settlement',
        product: 'text_to_speech',
        amount_micro_usd: Number(SPEECH_150_CHARS_MICRO_USD),
      }),
      expect.objectContaining({
        kind: 'hold',
        product: 'text_to_speech',
        amount_micro_usd: Number(SPEECH_150_CHARS_HOLD_MICRO_USD),
      }),
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a failed synthesis is a 422 render_failed that charges nothing: its hold is released', async () => {
    const res = await api.speak({ ...SPEECH_150_CHARS, text: 'Hello [simulate:fail]' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('render_failed');
    expect(res.json().error.message).toMatch(/not charged/);
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    const kinds = (await history()).map((e) => [e.kind, e.product]);
    expect(kinds).toEqual([
      ['release', 'text_to_speech'],
      ['hold', 'text_to_speech'],
      ['grant', null],
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it.each([
    ['an unknown voice', { ...SPEECH_150_CHARS, voice_id: 'voice_nobody' }, 'voice_id'],
    [
      'a voice without the starfish engine',
      { ...SPEECH_150_CHARS, voice_id: 'voice_en_james' },
      'voice_id',
    ],
    ['no voice', { text: 'Hello' }, 'voice_id'],
    ['no text', { voice_id: 'voice_en_olivia' }, 'text'],
    ['an empty text', { ...SPEECH_150_CHARS, text: '' }, 'text'],
    ['a text over 5,000 characters', { ...SPEECH_150_CHARS, text: 'x'.repeat(5_001) }, 'text'],
    ['a speed below 0.5', { ...SPEECH_150_CHARS, speed: 0.4 }, 'speed'],
    ['a speed above 2.0', { ...SPEECH_150_CHARS, speed: 2.1 }, 'speed'],
    ['an unknown input_type', { ...SPEECH_150_CHARS, input_type: 'html' }, 'input_type'],
    ['a locale over 35 characters', { ...SPEECH_150_CHARS, locale: 'x'.repeat(36) }, 'locale'],
  ])('refuses %s with a 400 naming the field, holding nothing', async (_name, body, param) => {
    const res = await api.speak(body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect(await history()).toHaveLength(1);
  });

  it('a text of 5,000 characters is accepted: the longest text is within the limits', async () => {
    const res = await api.speak({ ...SPEECH_150_CHARS, text: 'x'.repeat(5_000), speed: 0.5 });
    expect(res.statusCode, res.body).toBe(200);
    // 5,000 characters at 7.5 per second: 666.667 s × 667 µUSD/s = 444,666.889 → 444,667
    expect(res.json().data).toMatchObject({ duration: 666.667 });
    expect(res.json().data.billing.charged_amount_micro_usd).toBe(444_667);
    await expectLedgerBalanced(t.ctx);
  });

  it('an account short of the hold is refused with 402 and nothing is written', async () => {
    const poor = await createCustomer(t.ctx, { username: 'poor', paid_micro_usd: 10_004n });
    const res = await avatarApi(t.app, poor).speak(SPEECH_150_CHARS);
    expect(res.statusCode).toBe(402);
    expect(res.json().error.code).toBe('insufficient_credit');
    expect((await balanceOf(t.ctx, poor)).settled_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a replayed request with the same Idempotency-Key is answered again and charged once', async () => {
    const headers = { ...t.ada.headers, 'idempotency-key': 'tts-1' };
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/v3/voices/speech',
        headers,
        payload: SPEECH_150_CHARS,
      });
    const first = await post();
    const second = await post();
    expect(first.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(SPEECH_150_CHARS_MICRO_USD);
    const other = await t.app.inject({
      method: 'POST',
      url: '/v3/voices/speech',
      headers,
      payload: { ...SPEECH_150_CHARS, speed: 1.5 },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    await expectLedgerBalanced(t.ctx);
  });

  it('a quote of a speech body answers its hold and rule and writes nothing', async () => {
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=speech',
      headers: t.ada.headers,
      payload: SPEECH_150_CHARS,
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json().data).toMatchObject({
      product: 'text_to_speech',
      sku: 'text_to_speech.starfish',
      rate_usd: '0.000667',
      estimate_rule: 'script_chars_at_10_per_s',
      hold_amount_micro_usd: Number(SPEECH_150_CHARS_HOLD_MICRO_USD),
    });
    expect(await history()).toHaveLength(1);
  });
});

describe.each(dialects)('Text-to-Speech and the concurrency limit on %s', (dialect) => {
  const t = useServer(dialect, { env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' } });

  it('speech is not counted: with every slot taken it still answers, and takes no slot itself', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 5_000_000n, concurrency_limit: 1 });
    const api = avatarApi(t.app, ada);
    expect((await api.speak(SPEECH_150_CHARS)).statusCode).toBe(200);
    const video = { type: 'avatar', avatar_id: 'look_photo_lena', script: 'Hello.' };
    expect((await submit(t.app, ada, video)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    expect((await submit(t.app, ada, video)).statusCode).toBe(429);
    const spoken = await api.speak(SPEECH_150_CHARS);
    expect(spoken.statusCode, spoken.body).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });
});
