import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD } from '../pricing/default-card.ts';
import { creditPrice, loadCreditCard } from './credit-card.ts';
import { DEFAULT_CREDIT_CARD } from './default-credit-card.ts';

const photo = (duration_ms: bigint) =>
  ({
    product: 'avatar_video',
    engine: 'avatar_iv',
    avatar_type: 'photo_avatar',
    resolution: '720p',
    duration_ms,
  }) as const;

describe('the credit rate card', () => {
  it('prices per minute of output to the millisecond, rounded up once to a thousandth of a credit', () => {
    expect(creditPrice(DEFAULT_CREDIT_CARD, photo(60_000n)).amount_credit_milli).toBe(20_000n);
    expect(creditPrice(DEFAULT_CREDIT_CARD, photo(10_000n)).amount_credit_milli).toBe(3_334n);
    expect(creditPrice(DEFAULT_CREDIT_CARD, photo(3n)).amount_credit_milli).toBe(1n);
    expect(creditPrice(DEFAULT_CREDIT_CARD, photo(0n)).amount_credit_milli).toBe(0n);
  });

  it('prices flat products per video or call, whatever the duration', () => {
    const cinematic = { product: 'cinematic_avatar', resolution: '1080p', duration_ms: 15_000n };
    expect(creditPrice(DEFAULT_CREDIT_CARD, cinematic as never).amount_credit_milli).toBe(35_000n);
    const creation = { product: 'avatar_creation', avatar_type: 'digital_twin' } as const;
    expect(creditPrice(DEFAULT_CREDIT_CARD, creation).amount_credit_milli).toBe(5_000n);
  });

  it('covers every self-serve sku of the default USD card, and not proofread', () => {
    const credited = new Set(DEFAULT_CREDIT_CARD.rows.map((row) => row.sku));
    const selfServe = DEFAULT_RATE_CARD.rows.filter((row) => !row.enterprise_only);
    expect(selfServe.filter((row) => !credited.has(row.sku))).toEqual([]);
    const proofread = { product: 'video_translation_proofread', duration_ms: 1_000n } as const;
    expect(() => creditPrice(DEFAULT_CREDIT_CARD, proofread)).toThrow(
      expect.objectContaining({ code: 'credits_not_offered' }),
    );
  });

  it.each([
    [{ sku: 'lipsync.speed', per: 'minute', credits: '0.0005' }, 'rows.0.credits'],
    [{ sku: 'lipsync.speed', per: 'minute', credits: '0' }, 'rows.0.credits'],
    [{ sku: 'lipsync.speed', per: 'second', credits: '1' }, 'rows.0.per'],
    [{ sku: 'Lipsync', per: 'minute', credits: '1' }, 'rows.0.sku'],
  ])('rejects %o naming %s', (row, param) => {
    const load = () => loadCreditCard({ version: 'v', effective_at_ms: 0n, rows: [row as never] });
    expect(load).toThrow(expect.objectContaining({ code: 'credit_rate_card_rejected', param }));
  });
});
