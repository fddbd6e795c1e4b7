import { describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { DEFAULT_RATE_CARD } from '../../pricing/default-card.ts';

describe.each(dialects)('customer billing routes on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 1_000_000n } });

  const quote = (payload: Record<string, unknown>, headers = t.ada.headers) =>
    t.app.inject({ method: 'POST', url: '/billing/v1/quote', headers, payload });

  it('shows the rate card in effect: rates as published strings and exact micro-USD, with flags', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/rate-card',
      headers: t.ada.headers,
    });
    expect(res.statusCode).toBe(200);
    const card = res.json().data;
    expect(card).toMatchObject({ version: DEFAULT_RATE_CARD.version, currency: 'usd' });
    expect(card.rows).toHaveLength(DEFAULT_RATE_CARD.rows.length);
    expect(card.rows).toContainEqual({
      sku: 'avatar_iii.digital_twin.hd',
      unit: 'second',
      rate_usd: '0.0167',
      rate_micro_usd: 16_700,
      increment_ms: null,
      minimum_ms: null,
      enterprise_only: false,
      existing_customers_only: true,
    });
    expect(
      card.rows.find((row: { sku: string }) => row.sku === 'cinematic_avatar.video'),
    ).toMatchObject({
      unit: 'video',
      rate_usd: '7.00',
      rate_micro_usd: 7_000_000,
    });
  });

  it.each([
    [
      'a script at 10 characters per second',
      { script: 'x'.repeat(150) },
      'script_chars_at_10_per_s',
      15_000,
      1_000_500,
    ],
    [
      'a slowed voice (speed 0.5) twice as long',
      { script: 'x'.repeat(150), voice_settings: { speed: 0.5 } },
      'script_chars_at_10_per_s',
      30_000,
      2_001_000,
    ],
    [
      'declared audio at its duration',
      { audio_url: 'https://e.test/a.mp3', audio_duration_ms: 12_345 },
      'declared_audio_duration',
      12_345,
      823_412,
    ],
    [
      'undeclared audio at HeyGen’s 10-minute limit',
      { audio_asset_id: 'asset_1' },
      'audio_limit_600_s',
      600_000,
      40_020_000,
    ],
  ])('quotes %s', async (_name, speech, rule, duration_ms, hold) => {
    const res = await quote({ type: 'avatar', avatar_id: 'look_twin_sofia', ...speech });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      sku: 'avatar_iv_v.digital_twin.hd',
      unit: 'second',
      rate_usd: '0.0667',
      rate_micro_usd: 66_700,
      estimate_rule: rule,
      estimated_duration_ms: duration_ms,
      hold_amount_micro_usd: hold,
      test: false,
    });
  });

  it('quotes a cinematic avatar at the flat $7.00 and a test video at a $0 hold', async () => {
    const cinematic = await quote({
      type: 'cinematic_avatar',
      avatar_id: ['look_twin_sofia'],
      prompt: 'Go.',
    });
    expect(cinematic.json().data).toMatchObject({
      sku: 'cinematic_avatar.video',
      estimate_rule: 'flat_per_video',
      hold_amount_micro_usd: 7_000_000,
      hold_amount_usd: '7.00',
    });
    const test = await quote({
      type: 'avatar',
      avatar_id: 'look_twin_sofia',
      script: 'Hi.',
      test: true,
    });
    expect(test.json().data).toMatchObject({
      hold_amount_micro_usd: 0,
      estimated_amount_micro_usd: 20_010,
      test: true,
    });
  });

  it('validates like POST /v3/videos, writes nothing and needs an API key', async () => {
    const invalid = await quote({ type: 'avatar', avatar_id: 'look_twin_sofia' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'invalid_parameter', param: 'script' });
    // A quote above the balance is still a quote: it is what admission would refuse.
    expect(
      (
        await quote({
          type: 'avatar',
          avatar_id: 'look_twin_sofia',
          audio_url: 'https://e.test/a.mp3',
        })
      ).statusCode,
    ).toBe(200);
    expect(await t.ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    expect((await quote({ type: 'avatar' }, {})).statusCode).toBe(401);
    await expectLedgerBalanced(t.ctx);
  });
});
