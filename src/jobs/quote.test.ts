import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../config.ts';
import { SIMULATOR_ENGINE, simulatedDurationMs } from '../engines/simulator.ts';
import { DEFAULT_RATE_CARD } from '../pricing/default-card.ts';
import { price } from '../pricing/price.ts';
import { VIDEO_PRODUCT } from '../products/video.ts';
import { quoteJob, withDuration } from './quote.ts';
import type { CreateVideoInput } from './video-input.ts';
import { parseVideoInput } from './video-spec.ts';

const NEW_CUSTOMER = { existing_avatar_iii_customer: false, enterprise: false };
const quote = (input: CreateVideoInput, limits = DEFAULT_LIMITS) =>
  quoteJob(
    DEFAULT_RATE_CARD,
    {
      product: VIDEO_PRODUCT,
      input,
      spec: parseVideoInput(input),
      account: NEW_CUSTOMER,
      engine: SIMULATOR_ENGINE,
    },
    limits,
  );

describe('the hold estimate', () => {
  it.each([
    ['a 150-character script', { script: 'x'.repeat(150) }, 15_000n, 'script_chars_at_10_per_s'],
    ['a 1-character script', { script: 'x' }, 100n, 'script_chars_at_10_per_s'],
    [
      'a script at speed 1.5',
      { script: 'x'.repeat(150), voice_settings: { speed: 1.5 } },
      10_000n,
      'script_chars_at_10_per_s',
    ],
    [
      'a script at speed 0.7',
      { script: 'x'.repeat(7), voice_settings: { speed: 0.7 } },
      1_000n,
      'script_chars_at_10_per_s',
    ],
    [
      'declared audio',
      { audio_url: 'u', audio_duration_ms: 4_321 },
      4_321n,
      'declared_audio_duration',
    ],
    ['undeclared audio', { audio_asset_id: 'a' }, 600_000n, 'audio_limit_600_s'],
    [
      'audio whose URL marks its length',
      { audio_url: 'https://m.example/a.mp3#simulate:duration=20.5' },
      20_500n,
      'probed_source_duration',
    ],
    [
      'a script that marks its length',
      { script: 'Hi [simulate:duration=30]' },
      30_000n,
      'probed_source_duration',
    ],
  ])('sizes %s', (_name, speech, duration_ms, rule) => {
    const q = quote({ type: 'avatar', avatar_id: 'look_studio_anna', ...speech });
    expect({
      estimated_duration_ms: q.estimated_duration_ms,
      estimate_rule: q.estimate_rule,
    }).toEqual({
      estimated_duration_ms: duration_ms,
      estimate_rule: rule,
    });
  });

  it('caps every estimate at job_duration_ms_max', () => {
    const limits = { ...DEFAULT_LIMITS, job_duration_ms_max: 60_000n };
    const q = quote({ type: 'avatar', avatar_id: 'look_studio_anna', audio_asset_id: 'a' }, limits);
    expect(q.estimated_duration_ms).toBe(60_000n);
  });

  it('prices a cinematic avatar flat and an image as a photo avatar', () => {
    const cinematic = quote({
      type: 'cinematic_avatar',
      avatar_id: ['look_twin_sofia'],
      prompt: 'p',
    });
    expect(cinematic).toMatchObject({
      hold_amount_micro_usd: 7_000_000n,
      estimate_rule: 'flat_per_video',
    });
    const image = quote({
      type: 'image',
      image_url: 'u',
      voice_id: 'voice_en_olivia',
      script: 'x'.repeat(10),
    });
    expect(image).toMatchObject({
      sku: 'avatar_iv_v.photo_avatar.hd',
      hold_amount_micro_usd: 50_000n,
    });
  });

  it('never holds less than the simulator then charges, for any script and voice speed', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 5_000, unit: 'grapheme' }),
        fc.integer({ min: 500, max: 1_500 }),
        fc.constantFrom('look_studio_anna', 'look_twin_sofia', 'look_photo_lena'),
        fc.constantFrom('720p', '1080p', '4k'),
        (script, speedMilli, avatar_id, resolution) => {
          const input = {
            type: 'avatar' as const,
            avatar_id,
            resolution: resolution as '720p' | '1080p' | '4k',
            script,
            voice_settings: { speed: speedMilli / 1000 },
          };
          const q = quote(input);
          const charge = price(
            DEFAULT_RATE_CARD,
            withDuration(q.usage, simulatedDurationMs(input)),
          );
          expect(q.hold_amount_micro_usd).toBeGreaterThanOrEqual(charge.amount_micro_usd);
        },
      ),
      { numRuns: 300 },
    );
  });
});
