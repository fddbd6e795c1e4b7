import { beforeEach, describe, expect, it } from 'vitest';
import { balanceOf, type Customer, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { putRateOverride } from '../rate-cards.ts';
import { useServer } from '../server-fixture.ts';
import { PROOFREAD_TWO_LANGUAGES, proofreadApi, translationApi } from '../translations.ts';
import { drainWorker, jobRow } from '../videos.ts';

const FUNDED_MICRO_USD = 50_000_000n;
const PROOFREAD_SKU = 'video_translation.proofread';
/** 120 s of source at the override's $0.0083/s. */
const SESSION_MICRO_USD = 996_000n;
/** The video generated from it: 120 s of speed lip sync at $0.0333/s. */
const GENERATED_MICRO_USD = 3_996_000n;

describe.each(dialects)('video translation proofread through HTTP on %s', (dialect) => {
  const t = useServer(dialect, { operator: true });
  let acme: Customer;
  let api: ReturnType<typeof proofreadApi>;
  beforeEach(async () => {
    acme = await createCustomer(t.ctx, {
      username: 'acme',
      enterprise: true,
      paid_micro_usd: FUNDED_MICRO_USD,
    });
    api = proofreadApi(t.app, acme);
  });

  const setProofreadRate = async (customer: Customer, rate_usd: string) => {
    const rows = [{ sku: PROOFREAD_SKU, rate_usd }];
    const res = await putRateOverride(t.app, t.operator, customer.account_id, { rows });
    expect(res.statusCode, res.body).toBe(200);
  };
  const create = async (body: object): Promise<string[]> => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('post_v3_video_translations_proofreads.yaml', res.json());
    expect(res.json().data.status).toBe('processing');
    return res.json().data.proofread_ids;
  };

  it('an account that is not Enterprise gets 403 enterprise_only on every proofread call', async () => {
    const bob = await createCustomer(t.ctx, { username: 'bob', paid_micro_usd: FUNDED_MICRO_USD });
    await setProofreadRate(bob, '0.0083');
    const bobApi = proofreadApi(t.app, bob);
    for (const res of [
      await bobApi.create(PROOFREAD_TWO_LANGUAGES),
      await bobApi.create({}),
      await bobApi.get('pr_any'),
      await bobApi.srt('pr_any'),
      await bobApi.generate('pr_any'),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('enterprise_only');
      expect(res.json().error.message).toMatch(/Enterprise plans only/);
    }
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=proofreads',
      headers: bob.headers,
      payload: PROOFREAD_TWO_LANGUAGES,
    });
    expect(quote.statusCode).toBe(403);
    expect(quote.json().error.code).toBe('enterprise_only');
    expect((await balanceOf(t.ctx, bob)).held_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('an Enterprise account with no proofread rate gets a clear 400 and is charged nothing', async () => {
    const res = await api.create(PROOFREAD_TWO_LANGUAGES);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_parameter');
    expect(res.json().error.message).toMatch(
      /Enterprise plans only.*rate override.*video_translation\.proofread/,
    );
    await drainWorker(t.ctx);
    expect(await balanceOf(t.ctx, acme)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    const rows = await t.ctx.db.selectFrom('jobs').select('id').execute();
    expect(rows).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });

  it('with a rate override each session is billed per second of its source on it; the generated video on its own row', async () => {
    await setProofreadRate(acme, '0.0083');
    const ids = await create(PROOFREAD_TWO_LANGUAGES);
    expect(ids).toHaveLength(2);
    expect((await balanceOf(t.ctx, acme)).held_micro_usd).toBe(2n * SESSION_MICRO_USD);
    const pending = (await api.get(ids[0]!)).json();
    expectHeygenShape('get_v3_video_translations_proofreads_proofread_id.yaml', pending);
    expect(pending.data).toMatchObject({
      status: 'processing',
      output_language: 'Spanish (Spain)',
    });
    await drainWorker(t.ctx);
    const done = (await api.get(ids[1]!)).json();
    expectHeygenShape('get_v3_video_translations_proofreads_proofread_id.yaml', done);
    expect(done.data).toMatchObject({
      id: ids[1],
      status: 'completed',
      title: 'Quarterly update',
      output_language: 'German',
    });
    expect(done.data.billing).toMatchObject({
      sku: PROOFREAD_SKU,
      charged_amount_micro_usd: Number(SESSION_MICRO_USD),
    });
    const srt = (await api.srt(ids[0]!)).json();
    expectHeygenShape('get_v3_video_translations_proofreads_proofread_id_srt.yaml', srt);
    expect(srt.data).toEqual({
      srt_url: `https://simulator.tollgate.example/proofreads/${ids[0]}.srt`,
      original_srt_url: null,
    });
    expect(await balanceOf(t.ctx, acme)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 2n * SESSION_MICRO_USD,
    });

    const generated = await api.generate(ids[0]!, { captions: true });
    expect(generated.statusCode, generated.body).toBe(200);
    expectHeygenShape(
      'post_v3_video_translations_proofreads_proofread_id_generate.yaml',
      generated.json(),
    );
    const translationId = generated.json().data.video_translation_id;
    await drainWorker(t.ctx);
    const translation = (await translationApi(t.app, acme).get(translationId)).json().data;
    expect(translation).toMatchObject({
      status: 'completed',
      duration: 120,
      output_language: 'Spanish (Spain)',
      title: 'Quarterly update',
    });
    expect(translation.srt_caption_url).not.toBeNull();
    expect(translation.billing).toMatchObject({
      sku: 'video_translation.speed.lip_sync',
      charged_amount_micro_usd: Number(GENERATED_MICRO_USD),
    });
    const total = 2n * SESSION_MICRO_USD + GENERATED_MICRO_USD;
    expect(await balanceOf(t.ctx, acme)).toMatchObject({
      settled_micro_usd: total,
      available_micro_usd: FUNDED_MICRO_USD - total,
    });
    expect(await t.wallet(acme)).toMatchObject({
      remaining_balance_micro_usd: Number(FUNDED_MICRO_USD - total),
      settled_micro_usd: Number(total),
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('subtitles and generation wait for a completed session: 409 job_not_ready, nothing held', async () => {
    await setProofreadRate(acme, '0.0083');
    const [id] = await create({ ...PROOFREAD_TWO_LANGUAGES, output_languages: ['French'] });
    for (const res of [await api.srt(id!), await api.generate(id!)]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'job_not_ready', param: 'proofread_id' });
    }
    expect((await balanceOf(t.ctx, acme)).held_micro_usd).toBe(SESSION_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('a failed session costs nothing and cannot generate a video', async () => {
    await setProofreadRate(acme, '0.0083');
    const video = { type: 'url', url: 'https://media.example/talk.mp4#simulate:fail' };
    const [id] = await create({ ...PROOFREAD_TWO_LANGUAGES, video, output_languages: ['French'] });
    await drainWorker(t.ctx);
    const failed = (await api.get(id!)).json();
    expectHeygenShape('get_v3_video_translations_proofreads_proofread_id.yaml', failed);
    expect(failed.data.status).toBe('failed');
    expect(failed.data.failure_message).toMatch(/simulate:fail/);
    expect((await api.generate(id!)).statusCode).toBe(409);
    expect(await balanceOf(t.ctx, acme)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it("another Enterprise account's session is a 404 naming proofread_id", async () => {
    await setProofreadRate(acme, '0.0083');
    const [id] = await create(PROOFREAD_TWO_LANGUAGES);
    const other = proofreadApi(
      t.app,
      await createCustomer(t.ctx, { username: 'globex', enterprise: true }),
    );
    for (const res of [await other.get(id!), await other.srt(id!), await other.generate(id!)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'proofread_id' });
    }
    const asTranslation = await translationApi(t.app, acme).get(id!);
    expect(asTranslation.statusCode).toBe(404);
    await expectLedgerBalanced(t.ctx);
  });

  it.each([
    ['no title', { video: PROOFREAD_TWO_LANGUAGES.video, output_languages: ['French'] }, 'title'],
    ['an empty title', { ...PROOFREAD_TWO_LANGUAGES, title: '' }, 'title'],
    ['no languages', { ...PROOFREAD_TWO_LANGUAGES, output_languages: [] }, 'output_languages'],
    [
      'an unknown language',
      { ...PROOFREAD_TWO_LANGUAGES, output_languages: ['Elvish'] },
      'output_languages.0',
    ],
    ['an unknown mode', { ...PROOFREAD_TWO_LANGUAGES, mode: 'fast' }, 'mode'],
    [
      'an unknown field',
      { ...PROOFREAD_TWO_LANGUAGES, callback_url: 'https://x.example' },
      'callback_url',
    ],
  ])('refuses %s with a 400 naming the field, holding nothing', async (_name, body, param) => {
    await setProofreadRate(acme, '0.0083');
    const res = await api.create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect((await balanceOf(t.ctx, acme)).held_micro_usd).toBe(0n);
  });

  it('a quote of a proofread body answers the override rate and the source length', async () => {
    await setProofreadRate(acme, '0.0083');
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=proofreads',
      headers: acme.headers,
      payload: PROOFREAD_TWO_LANGUAGES,
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json().data).toMatchObject({
      product: 'video_translation_proofread',
      sku: PROOFREAD_SKU,
      rate_usd: '0.0083',
      estimate_rule: 'probed_source_duration',
      estimated_duration_ms: 120_000,
      hold_amount_micro_usd: Number(SESSION_MICRO_USD),
    });
    expect(await jobRowsCount()).toBe(0);
  });

  const jobRowsCount = async () =>
    (await t.ctx.db.selectFrom('jobs').select('id').execute()).length;

  it('sessions count against the shared concurrency limit', async () => {
    const initech = await createCustomer(t.ctx, {
      username: 'initech',
      enterprise: true,
      paid_micro_usd: FUNDED_MICRO_USD,
      concurrency_limit: 2,
    });
    await setProofreadRate(initech, '0.0083');
    const sessions = proofreadApi(t.app, initech);
    expect((await sessions.create(PROOFREAD_TWO_LANGUAGES)).statusCode).toBe(200);
    const refused = await translationApi(t.app, initech).create({
      video: PROOFREAD_TWO_LANGUAGES.video,
      output_languages: ['French'],
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limit_exceeded');
    await drainWorker(t.ctx);
    const again = await sessions.create({
      ...PROOFREAD_TWO_LANGUAGES,
      output_languages: ['French'],
    });
    expect(again.statusCode).toBe(200);
    expect((await jobRow(t.ctx, again.json().data.proofread_ids[0])).kind).toBe('proofread');
    await expectLedgerBalanced(t.ctx);
  });
});
