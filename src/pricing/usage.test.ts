import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { price, skuForUsage, type Usage } from './price.ts';

const rejection = (code: string, param: string | null, messagePart: string) =>
  expect.objectContaining({ code, param, message: expect.stringContaining(messagePart) });

type AvatarVideoUsage = Extract<Usage, { product: 'avatar_video' }>;

const digitalTwin1080p = (duration_ms: bigint): AvatarVideoUsage => ({
  product: 'avatar_video',
  engine: 'avatar_iv',
  avatar_type: 'digital_twin',
  resolution: '1080p',
  duration_ms,
});

describe('skuForUsage', () => {
  it('maps Avatar IV and Avatar V, and 720p and 1080p, to the same published row', () => {
    const skus = (['avatar_iv', 'avatar_v'] as const).flatMap((engine) =>
      (['720p', '1080p'] as const).map((resolution) =>
        skuForUsage({ ...digitalTwin1080p(1n), engine, resolution }),
      ),
    );
    expect(new Set(skus)).toEqual(new Set(['avatar_iv_v.digital_twin.hd']));
  });

  it('a 4K cinematic avatar is rejected with product_not_offered on resolution', () => {
    const usage: Usage = { product: 'cinematic_avatar', resolution: '4k' };
    expect(() => skuForUsage(usage)).toThrow(
      rejection('product_not_offered', 'resolution', '4K is not available for cinematic avatar'),
    );
    expect(() => price(DEFAULT_RATE_CARD, usage)).toThrow(
      rejection('product_not_offered', 'resolution', '4K'),
    );
  });

  it('precision audio-only translation is rejected: precision is published with lip sync', () => {
    const usage: Usage = {
      product: 'video_translation',
      mode: 'precision',
      audio_only: true,
      duration_ms: 1_000n,
    };
    expect(() => price(DEFAULT_RATE_CARD, usage)).toThrow(
      rejection('product_not_offered', 'translate_audio_only', 'speed mode only'),
    );
  });

  it('an engine or resolution outside the closed lists never forms a sku', () => {
    const engine = { ...digitalTwin1080p(1n), engine: 'avatar_vi' } as unknown as Usage;
    const resolution = { ...digitalTwin1080p(1n), resolution: '8k' } as unknown as Usage;
    expect(() => skuForUsage(engine)).toThrow(
      rejection('product_not_offered', 'engine.type', 'avatar_vi'),
    );
    expect(() => skuForUsage(resolution)).toThrow(
      rejection('product_not_offered', 'resolution', '8k'),
    );
  });
});
