import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MICRO_USD_MAX } from '../shared/money.ts';
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { DURATION_MS_MAX, price, type Usage } from './price.ts';
import { loadRateCard, RATE_MICRO_USD_MAX, type RawRateRow } from './rate-card.ts';

// Per-second usages with their seed rate in µUSD/s, written out here rather than read from the
// card, so the proportionality property checks the card as well as the arithmetic.
const TIMED_USAGES: [bigint, (duration_ms: bigint) => Usage][] = [
  [50_000n, (d) => avatarVideo('avatar_iv', 'photo_avatar', '720p', d)],
  [66_700n, (d) => avatarVideo('avatar_v', 'digital_twin', '1080p', d)],
  [83_300n, (d) => avatarVideo('avatar_iv', 'studio_avatar', '4k', d)],
  [16_700n, (d) => avatarVideo('avatar_iii', 'photo_avatar', '1080p', d)],
  [20_000n, (d) => avatarVideo('avatar_iii', 'digital_twin', '4k', d)],
  [33_300n, (d) => ({ product: 'video_agent', duration_ms: d })],
  [
    16_700n,
    (d) => ({ product: 'video_translation', mode: 'speed', audio_only: true, duration_ms: d }),
  ],
  [66_700n, (d) => ({ product: 'lipsync', mode: 'precision', duration_ms: d })],
  [667n, (d) => ({ product: 'text_to_speech', model: 'starfish', duration_ms: d })],
];

function avatarVideo(
  engine: 'avatar_iv' | 'avatar_v' | 'avatar_iii',
  avatar_type: 'photo_avatar' | 'digital_twin' | 'studio_avatar',
  resolution: '720p' | '1080p' | '4k',
  duration_ms: bigint,
): Usage {
  return { product: 'avatar_video', engine, avatar_type, resolution, duration_ms };
}

const timedUsage = fc.constantFrom(...TIMED_USAGES);
const durationMs = fc.bigInt({ min: 0n, max: DURATION_MS_MAX });
const amountOf = (usage: Usage) => price(DEFAULT_RATE_CARD, usage).amount_micro_usd;

/** "0.066700" for 66_700n: a decimal USD string built without the code under test. */
function toUsdString(microUsd: bigint): string {
  return `${microUsd / 1_000_000n}.${(microUsd % 1_000_000n).toString().padStart(6, '0')}`;
}

describe('price properties on the default card', () => {
  it('is proportional: d ms cost exactly ceil(rate × d / 1000) µUSD, billed to the ms', () => {
    fc.assert(
      fc.property(timedUsage, durationMs, ([rateMicroUsdPerS, usage], d) => {
        const quote = price(DEFAULT_RATE_CARD, usage(d));
        expect(quote.amount_micro_usd).toBe((rateMicroUsdPerS * d + 999n) / 1000n);
        expect(quote.billed_duration_ms).toBe(d);
      }),
    );
  });

  it('is monotonic: a longer output never costs less', () => {
    fc.assert(
      fc.property(timedUsage, durationMs, durationMs, ([, usage], a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(amountOf(usage(shorter))).toBeLessThanOrEqual(amountOf(usage(longer)));
      }),
    );
  });

  it('splitting d into k parts costs between price(d) and price(d) + (k - 1) µUSD', () => {
    const cuts = fc.array(durationMs, { minLength: 0, maxLength: 9 });
    fc.assert(
      fc.property(timedUsage, durationMs, cuts, ([, usage], d, rawCuts) => {
        // k - 1 cut points inside [0, d] give k parts that sum to d (some may be empty).
        const points = [0n, ...rawCuts.map((cut) => cut % (d + 1n)), d].sort((x, y) =>
          x < y ? -1 : x > y ? 1 : 0,
        );
        const parts = points.slice(1).map((point, index) => point - points[index]!);
        const partsTotal = parts.reduce((sum, part) => sum + amountOf(usage(part)), 0n);
        const whole = amountOf(usage(d));
        expect(partsTotal).toBeGreaterThanOrEqual(whole);
        expect(partsTotal).toBeLessThanOrEqual(whole + BigInt(parts.length - 1));
      }),
    );
  });

  it('a cinematic avatar costs 7,000,000 µUSD for any duration', () => {
    fc.assert(
      fc.property(
        durationMs,
        fc.constantFrom('720p', '1080p') as fc.Arbitrary<'720p' | '1080p'>,
        (d, resolution) => {
          expect(amountOf({ product: 'cinematic_avatar', resolution, duration_ms: d })).toBe(
            7_000_000n,
          );
        },
      ),
    );
  });
});

type CustomRow = { rateMicroUsd: bigint; incrementMs?: bigint; minimumMs?: bigint };

const customRow: fc.Arbitrary<CustomRow> = fc.record(
  {
    rateMicroUsd: fc.bigInt({ min: 1n, max: RATE_MICRO_USD_MAX }),
    incrementMs: fc.bigInt({ min: 1n, max: 60_000n }),
    minimumMs: fc.bigInt({ min: 1n, max: 60_000n }),
  },
  { requiredKeys: ['rateMicroUsd'] },
);

function lipsyncCard({ rateMicroUsd, incrementMs, minimumMs }: CustomRow) {
  const row: RawRateRow = {
    sku: 'lipsync.speed',
    unit: 'second',
    rate_usd: toUsdString(rateMicroUsd),
  };
  if (incrementMs !== undefined) row.increment_ms = incrementMs;
  if (minimumMs !== undefined) row.minimum_ms = minimumMs;
  return loadRateCard({ version: 'property', effective_at_ms: 0n, rows: [row] });
}

const lipsync = (duration_ms: bigint): Usage => ({
  product: 'lipsync',
  mode: 'speed',
  duration_ms,
});

describe('price properties on cards with any exact rate, increment and minimum', () => {
  it('loads every micro-dollar rate exactly and rejects any finer digit', () => {
    fc.assert(
      fc.property(customRow, fc.integer({ min: 1, max: 9 }), (row, extraDigit) => {
        expect(lipsyncCard(row).rows[0]?.rate_micro_usd).toBe(row.rateMicroUsd);
        const finer = {
          version: 'finer',
          effective_at_ms: 0n,
          rows: [
            {
              sku: 'lipsync.speed',
              unit: 'second' as const,
              rate_usd: `${toUsdString(row.rateMicroUsd)}${extraDigit}`,
            },
          ],
        };
        expect(() => loadRateCard(finer)).toThrow(
          expect.objectContaining({ code: 'rate_not_exact' }),
        );
      }),
    );
  });

  it('bills max(d, minimum) rounded up to the increment, at ceil(rate × billed / 1000)', () => {
    fc.assert(
      fc.property(customRow, durationMs, (row, d) => {
        const quote = price(lipsyncCard(row), lipsync(d));
        const billed = quote.billed_duration_ms!;
        const floor = row.minimumMs !== undefined && row.minimumMs > d ? row.minimumMs : d;
        expect(billed).toBeGreaterThanOrEqual(floor);
        expect(billed).toBeLessThan(floor + (row.incrementMs ?? 1n));
        expect(billed % (row.incrementMs ?? 1n)).toBe(0n);
        expect(quote.amount_micro_usd).toBe((row.rateMicroUsd * billed + 999n) / 1000n);
        expect(quote.amount_micro_usd).toBeLessThanOrEqual(AMOUNT_MICRO_USD_MAX);
      }),
    );
  });

  it('is monotonic with increments and minimums too', () => {
    fc.assert(
      fc.property(customRow, durationMs, durationMs, (row, a, b) => {
        const card = lipsyncCard(row);
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(price(card, lipsync(shorter)).amount_micro_usd).toBeLessThanOrEqual(
          price(card, lipsync(longer)).amount_micro_usd,
        );
      }),
    );
  });

  it('the dearest price any loadable card allows still fits AMOUNT_MICRO_USD_MAX', () => {
    // An increment just over half the longest duration rounds DURATION_MS_MAX up the most.
    const card = lipsyncCard({
      rateMicroUsd: RATE_MICRO_USD_MAX,
      incrementMs: DURATION_MS_MAX / 2n + 1n,
      minimumMs: DURATION_MS_MAX,
    });
    const quote = price(card, lipsync(DURATION_MS_MAX));
    expect(quote.billed_duration_ms).toBe(DURATION_MS_MAX + 2n);
    expect(quote.amount_micro_usd).toBeLessThanOrEqual(AMOUNT_MICRO_USD_MAX);
  });
});
