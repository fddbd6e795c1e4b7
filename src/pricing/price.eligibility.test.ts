import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { checkEligibility, price, type Usage } from './price.ts';
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
const avatarIii: Usage = { ...digitalTwin1080p(10_000n), engine: 'avatar_iii' };

describe('checkEligibility', () => {
  const newcomer = { existing_avatar_iii_customer: false, enterprise: false };

  it('Avatar III for a new account is avatar_iii_not_available, naming Avatar IV and V', () => {
    expect(() => checkEligibility(DEFAULT_RATE_CARD, avatarIii, newcomer)).toThrow(
      rejection(
        'avatar_iii_not_available',
        'engine.type',
        'Avatar IV (avatar_iv) or Avatar V (avatar_v)',
      ),
    );
  });

  it('Avatar III for an existing customer is eligible and priced at the Avatar III rate', () => {
    const existing = { ...newcomer, existing_avatar_iii_customer: true };
    expect(() => checkEligibility(DEFAULT_RATE_CARD, avatarIii, existing)).not.toThrow();
    expect(price(DEFAULT_RATE_CARD, avatarIii).amount_micro_usd).toBe(167_000n);
  });

  it('proofread for a non-Enterprise account is enterprise_only on mode', () => {
    expect(() => checkEligibility(DEFAULT_RATE_CARD, proofread, newcomer)).toThrow(
      rejection('enterprise_only', 'mode', 'Enterprise plans only'),
    );
  });

  it('proofread for an Enterprise account is eligible and priced by a contract card', () => {
    const enterprise = { ...newcomer, enterprise: true };
    expect(() => checkEligibility(DEFAULT_RATE_CARD, proofread, enterprise)).not.toThrow();
    const contract = loadRateCard({
      version: 'acme-enterprise-2026',
      effective_at_ms: 0n,
      rows: [
        {
          sku: 'video_translation.proofread',
          unit: 'second',
          rate_usd: '0.1',
          enterprise_only: true,
        },
      ],
    });
    expect(price(contract, proofread).amount_micro_usd).toBe(1_000_000n);
  });

  it('every other product on the default card is open to every account', () => {
    const usages: Usage[] = [
      digitalTwin1080p(1n),
      { product: 'cinematic_avatar', resolution: '1080p' },
      { product: 'avatar_creation', avatar_type: 'photo_avatar' },
      { product: 'lipsync', mode: 'precision', duration_ms: 1n },
    ];
    for (const usage of usages) {
      expect(() => checkEligibility(DEFAULT_RATE_CARD, usage, newcomer)).not.toThrow();
    }
  });
});
