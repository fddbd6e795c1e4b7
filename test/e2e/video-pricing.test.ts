import { describe, expect, it } from 'vitest';
import { balanceOf, type Customer, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, getVideo, SCRIPT_150_CHARS, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 50_000_000n;

describe.each(dialects)('products priced end to end on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });

  /** Submits, renders and returns the video's billing and the wallet's settled total. */
  async function render(customer: Customer, body: Record<string, unknown>) {
    const created = await submit(t.app, customer, body);
    expect(created.statusCode, created.body).toBe(200);
    await drainWorker(t.ctx);
    const video = (await getVideo(t.app, customer, created.json().data.video_id)).json().data;
    return { video, settled_micro_usd: (await balanceOf(t.ctx, customer)).settled_micro_usd };
  }

  const script = { script: SCRIPT_150_CHARS }; // 10 s of output

  it.each([
    [
      'studio avatar, Avatar IV, 4K',
      'look_studio_anna',
      'avatar_iv',
      '4k',
      'avatar_iv_v.studio_avatar.4k',
      833_000,
    ],
    [
      'digital twin, Avatar V, 4K',
      'look_twin_kenji',
      'avatar_v',
      '4k',
      'avatar_iv_v.digital_twin.4k',
      833_000,
    ],
    [
      'photo avatar, Avatar IV, 4K',
      'look_photo_omar',
      'avatar_iv',
      '4k',
      'avatar_iv_v.photo_avatar.4k',
      667_000,
    ],
    [
      'photo avatar, Avatar V, 1080p',
      'look_photo_ines',
      'avatar_v',
      '1080p',
      'avatar_iv_v.photo_avatar.hd',
      500_000,
    ],
  ])(
    '%s is charged its row for 10 s',
    async (_name, avatar_id, engine, resolution, sku, charged) => {
      const body = { type: 'avatar', avatar_id, engine: { type: engine }, resolution, ...script };
      const { video, settled_micro_usd } = await render(t.ada, body);
      expect(video.billing).toMatchObject({ sku, charged_amount_micro_usd: charged });
      expect(settled_micro_usd).toBe(BigInt(charged));
      await expectLedgerBalanced(t.ctx);
    },
  );

  it('an image video is priced as a photo avatar', async () => {
    const body = {
      type: 'image',
      image: { type: 'url', url: 'https://example.test/face.png' },
      voice_id: 'voice_female_default',
      resolution: '720p',
      ...script,
    };
    const { video } = await render(t.ada, body);
    expect(video.billing).toMatchObject({
      sku: 'avatar_iv_v.photo_avatar.hd',
      charged_amount_micro_usd: 500_000,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('Avatar III renders for an existing Avatar III customer, at its rate, in HD and 4K', async () => {
    const old = await createCustomer(t.ctx, {
      username: 'old',
      paid_micro_usd: FUNDED_MICRO_USD,
      existing_avatar_iii_customer: true,
    });
    const body = {
      type: 'avatar',
      avatar_id: 'look_twin_sofia',
      engine: { type: 'avatar_iii' },
      ...script,
    };
    const hd = await render(old, { ...body, resolution: '1080p' });
    expect(hd.video.billing).toMatchObject({
      sku: 'avatar_iii.digital_twin.hd',
      charged_amount_micro_usd: 167_000,
    });
    const uhd = await render(old, { ...body, resolution: '4k' });
    expect(uhd.video.billing).toMatchObject({
      sku: 'avatar_iii.digital_twin.4k',
      charged_amount_micro_usd: 200_000,
    });
    expect(uhd.settled_micro_usd).toBe(367_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('Avatar III for any other account is refused with a 4xx naming Avatar IV and V, holding nothing', async () => {
    const body = {
      type: 'avatar',
      avatar_id: 'look_twin_sofia',
      engine: { type: 'avatar_iii' },
      ...script,
    };
    const refused = await submit(t.app, t.ada, body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'avatar_iii_not_available',
      param: 'engine.type',
    });
    expect(refused.json().error.message).toMatch(/Avatar IV.*Avatar V/);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a cinematic avatar holds and charges a flat $7.00 whatever its duration', async () => {
    const body = {
      type: 'cinematic_avatar',
      avatar_id: ['look_twin_sofia', 'look_studio_anna'],
      prompt: 'Two presenters walk through a sunlit atrium.',
      duration: 15,
      resolution: '1080p',
    };
    const created = await submit(t.app, t.ada, body);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(7_000_000n);
    await drainWorker(t.ctx);
    const video = (await getVideo(t.app, t.ada, created.json().data.video_id)).json().data;
    expect(video).toMatchObject({ status: 'completed', duration: 15, subtitle_url: null });
    expect(video.billing).toMatchObject({
      sku: 'cinematic_avatar.video',
      charged_amount_micro_usd: 7_000_000,
    });
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(7_000_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a 4K cinematic avatar is refused with 400 naming resolution, holding nothing', async () => {
    const body = {
      type: 'cinematic_avatar',
      avatar_id: ['look_twin_sofia'],
      prompt: 'Hi.',
      resolution: '4k',
    };
    const refused = await submit(t.app, t.ada, body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'invalid_parameter', param: 'resolution' });
    expect(await t.ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });
});
