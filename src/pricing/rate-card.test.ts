import { describe, expect, it } from 'vitest';
import { DURATION_MS_MAX, loadRateCard, type RawRateCard, type RawRateRow } from './rate-card.ts';

function cardWith(rows: RawRateRow[], version = 'test-1'): RawRateCard {
  return { version, effective_at_ms: 0n, rows };
}

const rejection = (code: string, messagePart: string) =>
  expect.objectContaining({ code, message: expect.stringContaining(messagePart) });

describe('loadRateCard', () => {
  it.each([
    ['0.05', 50_000n],
    ['0.0667', 66_700n],
    ['0.000667', 667n],
    ['0.000001', 1n],
    ['7.00', 7_000_000n],
    ['1', 1_000_000n],
    ['0.10000000', 100_000n],
    ['1000', 1_000_000_000n],
  ])('converts the published rate "%s" USD exactly to %d µUSD', (rate_usd, expected) => {
    const card = loadRateCard(cardWith([{ sku: 'a', unit: 'second', rate_usd }]));
    expect(card.rows[0]?.rate_micro_usd).toBe(expected);
    expect(card.rows[0]?.rate_usd).toBe(rate_usd);
  });

  it.each(['0.0000005', '0.0666667', '0.00000001'])(
    'rejects the sub-micro-dollar rate "%s" with rate_not_exact naming the sku',
    (rate_usd) => {
      const raw = cardWith([{ sku: 'tts.cheap', unit: 'second', rate_usd }]);
      expect(() => loadRateCard(raw)).toThrow(rejection('rate_not_exact', 'tts.cheap'));
    },
  );

  it.each(['-0.05', '0', '0.000000', 'abc', '', '1e-3', ' 0.05', '$0.05', '1000.000001'])(
    'rejects the rate "%s" with rate_card_invalid naming the sku',
    (rate_usd) => {
      const raw = cardWith([{ sku: 'video.bad', unit: 'second', rate_usd }]);
      expect(() => loadRateCard(raw)).toThrow(rejection('rate_card_invalid', 'video.bad'));
    },
  );

  it('rejects a rate given as a number instead of the published decimal string', () => {
    const raw = cardWith([
      { sku: 'lipsync.speed', unit: 'second', rate_usd: 0.05 as unknown as string },
    ]);
    expect(() => loadRateCard(raw)).toThrow(rejection('rate_card_invalid', 'decimal string'));
  });

  it('rejects a card that lists the same sku twice', () => {
    const row: RawRateRow = { sku: 'lipsync.speed', unit: 'second', rate_usd: '0.0333' };
    expect(() => loadRateCard(cardWith([row, { ...row, rate_usd: '0.05' }]))).toThrow(
      rejection('rate_card_invalid', 'lipsync.speed appears twice'),
    );
  });

  it.each([
    ['a zero increment', { increment_ms: 0n }],
    ['a negative increment', { increment_ms: -1000n }],
    ['an increment above DURATION_MS_MAX', { increment_ms: DURATION_MS_MAX + 1n }],
    ['a zero minimum', { minimum_ms: 0n }],
    ['a minimum above DURATION_MS_MAX', { minimum_ms: DURATION_MS_MAX + 1n }],
  ])('rejects %s with rate_card_invalid', (_name, extra) => {
    const raw = cardWith([{ sku: 'lipsync.speed', unit: 'second', rate_usd: '0.0333', ...extra }]);
    expect(() => loadRateCard(raw)).toThrow(rejection('rate_card_invalid', 'lipsync.speed'));
  });

  it('rejects an increment on a flat row, which has no duration to round', () => {
    const raw = cardWith([
      { sku: 'cinematic_avatar.video', unit: 'video', rate_usd: '7.00', increment_ms: 1000n },
    ]);
    expect(() => loadRateCard(raw)).toThrow(rejection('rate_card_invalid', 'cinematic_avatar'));
  });

  it('accepts an unpublished rate only on an enterprise_only row', () => {
    const unpublished = { sku: 'proofread', unit: 'second', rate_usd: null } as const;
    expect(() => loadRateCard(cardWith([unpublished]))).toThrow(
      rejection('rate_card_invalid', 'proofread'),
    );
    const card = loadRateCard(cardWith([{ ...unpublished, enterprise_only: true }]));
    expect(card.rows[0]).toMatchObject({ rate_micro_usd: null, enterprise_only: true });
  });

  it('rejects an empty card, a bad version and a negative effective instant', () => {
    const row: RawRateRow = { sku: 'a', unit: 'call', rate_usd: '1.00' };
    expect(() => loadRateCard(cardWith([]))).toThrow(rejection('rate_card_invalid', 'rows'));
    expect(() => loadRateCard(cardWith([row], ''))).toThrow(
      rejection('rate_card_invalid', 'version'),
    );
    expect(() => loadRateCard({ ...cardWith([row]), effective_at_ms: -1n })).toThrow(
      rejection('rate_card_invalid', 'effective_at_ms'),
    );
  });

  it('returns a frozen card whose flags default to false', () => {
    const card = loadRateCard(cardWith([{ sku: 'a', unit: 'call', rate_usd: '1.00' }]));
    expect(Object.isFrozen(card) && Object.isFrozen(card.rows)).toBe(true);
    expect(card.rows[0]).toEqual({
      sku: 'a',
      unit: 'call',
      rate_usd: '1.00',
      rate_micro_usd: 1_000_000n,
      increment_ms: null,
      minimum_ms: null,
      enterprise_only: false,
      existing_customers_only: false,
    });
  });
});
