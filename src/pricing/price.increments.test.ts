import { describe, expect, it } from 'vitest';
import { price, type Usage } from './price.ts';
import { loadRateCard } from './rate-card.ts';

describe('price on a card with increments and minimums', () => {
  const card = loadRateCard({
    version: 'custom-increments',
    effective_at_ms: 0n,
    rows: [
      // 60,000 µUSD/s, at least 5 s, then whole seconds.
      {
        sku: 'lipsync.speed',
        unit: 'second',
        rate_usd: '0.06',
        increment_ms: 1_000n,
        minimum_ms: 5_000n,
      },
      // Half-second increments only.
      {
        sku: 'video_agent.prompt_to_video',
        unit: 'second',
        rate_usd: '0.0333',
        increment_ms: 500n,
      },
      // A 3 s minimum only.
      { sku: 'text_to_speech.starfish', unit: 'second', rate_usd: '0.000667', minimum_ms: 3_000n },
      // A minimum that is not a whole number of increments is rounded up too.
      {
        sku: 'lipsync.precision',
        unit: 'second',
        rate_usd: '0.01',
        increment_ms: 1_000n,
        minimum_ms: 2_500n,
      },
    ],
  });
  const lipsync = (mode: 'speed' | 'precision', duration_ms: bigint): Usage => ({
    product: 'lipsync',
    mode,
    duration_ms,
  });

  it.each([
    ['speed', 0n, 5_000n, 300_000n],
    ['speed', 1n, 5_000n, 300_000n],
    ['speed', 5_000n, 5_000n, 300_000n],
    ['speed', 5_001n, 6_000n, 360_000n],
    ['speed', 12_345n, 13_000n, 780_000n],
    ['precision', 1n, 3_000n, 30_000n],
    ['precision', 3_001n, 4_000n, 40_000n],
  ] as const)(
    'lipsync %s for %d ms bills %d ms, %d µUSD',
    (mode, durationMs, billedMs, amountMicroUsd) => {
      expect(price(card, lipsync(mode, durationMs))).toMatchObject({
        billed_duration_ms: billedMs,
        amount_micro_usd: amountMicroUsd,
      });
    },
  );

  it('an increment alone rounds 1 ms up to 500 ms: 33,300 µUSD/s × 0.5 s = 16,650 µUSD', () => {
    const usage: Usage = { product: 'video_agent', duration_ms: 1n };
    expect(price(card, usage)).toMatchObject({
      billed_duration_ms: 500n,
      amount_micro_usd: 16_650n,
    });
  });

  it('a minimum alone lifts short outputs and leaves longer ones to the millisecond', () => {
    const tts = (duration_ms: bigint): Usage => ({
      product: 'text_to_speech',
      model: 'starfish',
      duration_ms,
    });
    expect(price(card, tts(1n))).toMatchObject({
      billed_duration_ms: 3_000n,
      amount_micro_usd: 2_001n,
    });
    expect(price(card, tts(3_001n))).toMatchObject({
      billed_duration_ms: 3_001n,
      amount_micro_usd: 2_002n,
    });
  });
});
