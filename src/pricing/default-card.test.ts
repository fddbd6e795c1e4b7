import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD, DEFAULT_RATE_CARD_VERSION } from './default-card.ts';
import { price, type Usage } from './price.ts';
import type { AvatarEngine, AvatarType, Resolution } from './usage.ts';

// Every priced row of seed/pricing-page.txt, one line each: sku, the rate exactly as printed, that
// rate in µUSD, then the price of 12,345 ms and of 60,000 ms computed by hand as
// ceil(rate_micro_usd × duration_ms / 1000), or the flat rate for per-video and per-call rows.
const SEED_ROWS: [string, string, bigint, bigint, bigint][] = [
  ['avatar_iv_v.photo_avatar.hd', '0.05', 50_000n, 617_250n, 3_000_000n],
  ['avatar_iv_v.photo_avatar.4k', '0.0667', 66_700n, 823_412n, 4_002_000n],
  ['avatar_iv_v.digital_twin.hd', '0.0667', 66_700n, 823_412n, 4_002_000n],
  ['avatar_iv_v.digital_twin.4k', '0.0833', 83_300n, 1_028_339n, 4_998_000n],
  ['avatar_iv_v.studio_avatar.hd', '0.0667', 66_700n, 823_412n, 4_002_000n],
  ['avatar_iv_v.studio_avatar.4k', '0.0833', 83_300n, 1_028_339n, 4_998_000n],
  ['avatar_iii.photo_avatar.hd', '0.0167', 16_700n, 206_162n, 1_002_000n],
  ['avatar_iii.photo_avatar.4k', '0.02', 20_000n, 246_900n, 1_200_000n],
  ['avatar_iii.digital_twin.hd', '0.0167', 16_700n, 206_162n, 1_002_000n],
  ['avatar_iii.digital_twin.4k', '0.02', 20_000n, 246_900n, 1_200_000n],
  ['avatar_iii.studio_avatar.hd', '0.0167', 16_700n, 206_162n, 1_002_000n],
  ['avatar_iii.studio_avatar.4k', '0.02', 20_000n, 246_900n, 1_200_000n],
  ['cinematic_avatar.video', '7.00', 7_000_000n, 7_000_000n, 7_000_000n],
  ['video_agent.prompt_to_video', '0.0333', 33_300n, 411_089n, 1_998_000n],
  ['video_translation.speed.audio_only', '0.0167', 16_700n, 206_162n, 1_002_000n],
  ['video_translation.speed.lip_sync', '0.0333', 33_300n, 411_089n, 1_998_000n],
  ['video_translation.precision.lip_sync', '0.0667', 66_700n, 823_412n, 4_002_000n],
  ['lipsync.speed', '0.0333', 33_300n, 411_089n, 1_998_000n],
  ['lipsync.precision', '0.0667', 66_700n, 823_412n, 4_002_000n],
  ['text_to_speech.starfish', '0.000667', 667n, 8_235n, 40_020n],
  ['avatar_creation.digital_twin', '1.00', 1_000_000n, 1_000_000n, 1_000_000n],
  ['avatar_creation.photo_avatar', '1.00', 1_000_000n, 1_000_000n, 1_000_000n],
];

const avatar =
  (engine: AvatarEngine, avatar_type: AvatarType, resolution: Resolution) =>
  (duration_ms: bigint): Usage => ({
    product: 'avatar_video',
    engine,
    avatar_type,
    resolution,
    duration_ms,
  });

/** A usage that the published page bills under each sku, given the output duration. */
const USAGE_BY_SKU: Record<string, (duration_ms: bigint) => Usage> = {
  'avatar_iv_v.photo_avatar.hd': avatar('avatar_iv', 'photo_avatar', '1080p'),
  'avatar_iv_v.photo_avatar.4k': avatar('avatar_v', 'photo_avatar', '4k'),
  'avatar_iv_v.digital_twin.hd': avatar('avatar_iv', 'digital_twin', '720p'),
  'avatar_iv_v.digital_twin.4k': avatar('avatar_iv', 'digital_twin', '4k'),
  'avatar_iv_v.studio_avatar.hd': avatar('avatar_v', 'studio_avatar', '1080p'),
  'avatar_iv_v.studio_avatar.4k': avatar('avatar_iv', 'studio_avatar', '4k'),
  'avatar_iii.photo_avatar.hd': avatar('avatar_iii', 'photo_avatar', '720p'),
  'avatar_iii.photo_avatar.4k': avatar('avatar_iii', 'photo_avatar', '4k'),
  'avatar_iii.digital_twin.hd': avatar('avatar_iii', 'digital_twin', '1080p'),
  'avatar_iii.digital_twin.4k': avatar('avatar_iii', 'digital_twin', '4k'),
  'avatar_iii.studio_avatar.hd': avatar('avatar_iii', 'studio_avatar', '1080p'),
  'avatar_iii.studio_avatar.4k': avatar('avatar_iii', 'studio_avatar', '4k'),
  'cinematic_avatar.video': (duration_ms) => ({
    product: 'cinematic_avatar',
    resolution: '720p',
    duration_ms,
  }),
  'video_agent.prompt_to_video': (duration_ms) => ({ product: 'video_agent', duration_ms }),
  'video_translation.speed.audio_only': (duration_ms) => ({
    product: 'video_translation',
    mode: 'speed',
    audio_only: true,
    duration_ms,
  }),
  'video_translation.speed.lip_sync': (duration_ms) => ({
    product: 'video_translation',
    mode: 'speed',
    audio_only: false,
    duration_ms,
  }),
  'video_translation.precision.lip_sync': (duration_ms) => ({
    product: 'video_translation',
    mode: 'precision',
    audio_only: false,
    duration_ms,
  }),
  'lipsync.speed': (duration_ms) => ({ product: 'lipsync', mode: 'speed', duration_ms }),
  'lipsync.precision': (duration_ms) => ({ product: 'lipsync', mode: 'precision', duration_ms }),
  'text_to_speech.starfish': (duration_ms) => ({
    product: 'text_to_speech',
    model: 'starfish',
    duration_ms,
  }),
  'avatar_creation.digital_twin': () => ({
    product: 'avatar_creation',
    avatar_type: 'digital_twin',
  }),
  'avatar_creation.photo_avatar': () => ({
    product: 'avatar_creation',
    avatar_type: 'photo_avatar',
  }),
};

describe('the default rate card', () => {
  it.each(SEED_ROWS)('publishes %s at "%s" USD, exactly %d µUSD', (sku, rateUsd, rateMicroUsd) => {
    const cardRow = DEFAULT_RATE_CARD.rows.find((candidate) => candidate.sku === sku);
    expect(cardRow).toMatchObject({ rate_usd: rateUsd, rate_micro_usd: rateMicroUsd });
  });

  it.each(SEED_ROWS)(
    'prices %s (rate "%s" USD) to the hand-computed micro-dollar',
    (sku, _rateUsd, rateMicroUsd, amountAt12345MsMicroUsd, amountAt60000MsMicroUsd) => {
      const usage = USAGE_BY_SKU[sku]!;
      const at12345 = price(DEFAULT_RATE_CARD, usage(12_345n));
      const at60000 = price(DEFAULT_RATE_CARD, usage(60_000n));
      expect(at12345).toMatchObject({ sku, amount_micro_usd: amountAt12345MsMicroUsd });
      expect(at60000).toMatchObject({ sku, amount_micro_usd: amountAt60000MsMicroUsd });
      expect(at12345.rate_micro_usd).toBe(rateMicroUsd);
      expect(at12345.card_version).toBe(DEFAULT_RATE_CARD_VERSION);
    },
  );

  it('holds every seed row plus the unpriced proofread row, and nothing else', () => {
    const skus = DEFAULT_RATE_CARD.rows.map((cardRow) => cardRow.sku).sort();
    const expected = [...SEED_ROWS.map(([sku]) => sku), 'video_translation.proofread'];
    expect(skus).toEqual(expected.sort());
  });

  it('flags the Avatar III rows, and only them, as existing customers only', () => {
    for (const cardRow of DEFAULT_RATE_CARD.rows) {
      expect(cardRow.existing_customers_only).toBe(cardRow.sku.startsWith('avatar_iii.'));
    }
  });

  it('lists proofread as Enterprise-only with no published rate, the only such row', () => {
    const unpublished = DEFAULT_RATE_CARD.rows.filter((cardRow) => cardRow.rate_usd === null);
    expect(unpublished).toEqual([
      expect.objectContaining({
        sku: 'video_translation.proofread',
        rate_micro_usd: null,
        enterprise_only: true,
      }),
    ]);
    expect(DEFAULT_RATE_CARD.rows.filter((cardRow) => cardRow.enterprise_only)).toHaveLength(1);
  });

  it('bills to the millisecond: no row has an increment or a minimum', () => {
    for (const cardRow of DEFAULT_RATE_CARD.rows) {
      expect([cardRow.increment_ms, cardRow.minimum_ms]).toEqual([null, null]);
    }
    expect(DEFAULT_RATE_CARD.effective_at_ms).toBe(0n);
  });
});
