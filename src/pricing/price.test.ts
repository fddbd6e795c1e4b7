import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { DURATION_MS_MAX, price, type Usage } from './price.ts';
import { loadRateCard } from './rate-card.ts';

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
const proofread: Usage = { product: 'video_translation_proofread', duration_ms: 10_000n };

describe('price on the default card: the worked examples', () => {
  it('an Avatar IV digital twin at 1080p for 10,000 ms costs 667,000 µUSD', () => {
    expect(price(DEFAULT_RATE_CARD, digitalTwin1080p(10_000n))).toEqual({
      amount_micro_usd: 667_000n,
      sku: 'avatar_iv_v.digital_twin.hd',
      unit: 'second',
      rate_micro_usd: 66_700n,
      billed_duration_ms: 10_000n,
      card_version: 'heygen-payg-2026-06',
    });
  });

  it('an Avatar IV photo avatar in 4K for 12,345 ms rounds 823,411.5 up to 823,412 µUSD', () => {
    const usage: Usage = {
      product: 'avatar_video',
      engine: 'avatar_iv',
      avatar_type: 'photo_avatar',
      resolution: '4k',
      duration_ms: 12_345n,
    };
    expect(price(DEFAULT_RATE_CARD, usage).amount_micro_usd).toBe(823_412n);
  });

  it('one millisecond of Starfish speech costs 1 µUSD, never 0', () => {
    const usage: Usage = { product: 'text_to_speech', model: 'starfish', duration_ms: 1n };
    expect(price(DEFAULT_RATE_CARD, usage).amount_micro_usd).toBe(1n);
  });

  it.each([undefined, 0n, 4_000n, 15_000n, DURATION_MS_MAX])(
    'a cinematic avatar costs 7,000,000 µUSD whatever the duration (%s ms)',
    (duration_ms) => {
      const usage: Usage = { product: 'cinematic_avatar', resolution: '1080p', duration_ms };
      expect(price(DEFAULT_RATE_CARD, usage)).toMatchObject({
        amount_micro_usd: 7_000_000n,
        unit: 'video',
        billed_duration_ms: null,
      });
    },
  );

  it('a zero-length output prices at 0 µUSD', () => {
    expect(price(DEFAULT_RATE_CARD, digitalTwin1080p(0n)).amount_micro_usd).toBe(0n);
  });
});

describe('price rejects what the card does not offer', () => {
  it('proofread on the default card is product_not_offered: Enterprise-only, unpublished', () => {
    expect(() => price(DEFAULT_RATE_CARD, proofread)).toThrow(
      rejection(
        'product_not_offered',
        null,
        'Enterprise plans only and has no published self-serve rate',
      ),
    );
  });

  it('a product missing from a custom card is product_not_offered naming the card', () => {
    const card = loadRateCard({
      version: 'lipsync-only',
      effective_at_ms: 0n,
      rows: [{ sku: 'lipsync.speed', unit: 'second', rate_usd: '0.0333' }],
    });
    expect(() => price(card, digitalTwin1080p(1_000n))).toThrow(
      rejection('product_not_offered', null, 'lipsync-only'),
    );
  });

  it('a card that prices a timed product per item is rate_card_invalid, not a flat charge', () => {
    const card = loadRateCard({
      version: 'wrong-unit',
      effective_at_ms: 0n,
      rows: [{ sku: 'lipsync.speed', unit: 'video', rate_usd: '1.00' }],
    });
    const usage: Usage = { product: 'lipsync', mode: 'speed', duration_ms: 1_000n };
    expect(() => price(card, usage)).toThrow(rejection('rate_card_invalid', null, 'per video'));
  });

  it.each([-1n, DURATION_MS_MAX + 1n])(
    'a duration of %s ms is rejected with duration_invalid',
    (duration_ms) => {
      expect(() => price(DEFAULT_RATE_CARD, digitalTwin1080p(duration_ms))).toThrow(
        rejection('duration_invalid', 'duration_ms', 'duration_ms'),
      );
    },
  );

  it('a duration that is not a bigint is rejected, even on a flat row', () => {
    const fractional = digitalTwin1080p(1n);
    Object.assign(fractional, { duration_ms: 1.5 });
    expect(() => price(DEFAULT_RATE_CARD, fractional)).toThrow(
      rejection('duration_invalid', 'duration_ms', 'whole number of milliseconds'),
    );
    const cinematic = {
      product: 'cinematic_avatar',
      resolution: '720p',
      duration_ms: -5n,
    } as const;
    expect(() => price(DEFAULT_RATE_CARD, cinematic)).toThrow(
      rejection('duration_invalid', 'duration_ms', 'whole number of milliseconds'),
    );
  });
});
