import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../config.ts';
import { SIMULATOR_ENGINE, simulateAgent } from '../engines/simulator.ts';
import { quoteJob } from '../jobs/quote.ts';
import { DEFAULT_RATE_CARD } from '../pricing/default-card.ts';
import { price } from '../pricing/price.ts';
import {
  AGENT_VIDEO_PRODUCT,
  type CreateAgentInput,
  parseAgentInput,
  sessionTitle,
} from './agent.ts';

const quote = (input: CreateAgentInput) =>
  quoteJob(
    DEFAULT_RATE_CARD,
    {
      product: AGENT_VIDEO_PRODUCT,
      input,
      spec: parseAgentInput(input),
      account: { existing_avatar_iii_customer: false, enterprise: false },
      engine: SIMULATOR_ENGINE,
    },
    DEFAULT_LIMITS,
  );

describe('a Video Agent video hold', () => {
  it.each([
    [
      'a marked prompt',
      { prompt: 'Teaser [simulate:duration=12.5]' },
      12_500n,
      'probed_source_duration',
    ],
    [
      'a requested duration_sec',
      { prompt: 'Teaser', duration_sec: 45 },
      45_000n,
      'requested_duration',
    ],
    [
      'a marker over duration_sec',
      { prompt: 'T [simulate:duration=7]', duration_sec: 45 },
      7_000n,
      'probed_source_duration',
    ],
    ['an unsized prompt', { prompt: 'Teaser' }, 300_000n, 'agent_video_limit_300_s'],
  ])('from %s: %i ms by %s, at $0.0333/s', (_name, input, duration_ms, rule) => {
    const held = quote(input);
    expect(held).toMatchObject({
      sku: 'video_agent.prompt_to_video',
      estimate_rule: rule,
      estimated_duration_ms: duration_ms,
      hold_amount_micro_usd: (duration_ms * 33_300n + 999n) / 1000n,
    });
  });

  it('is never below what the simulator then charges, for any prompt and requested length up to an hour', () => {
    const prompt = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer({ min: 0, max: 3_600_000 }).map((ms) => `p [simulate:duration=${ms / 1000}]`),
    );
    const duration_sec = fc.option(fc.integer({ min: 5, max: 300 }), { nil: undefined });
    fc.assert(
      fc.property(prompt, duration_sec, (text, seconds) => {
        const input = { prompt: text, duration_sec: seconds };
        const result = simulateAgent({ job_id: 'video_x', output_format: 'mp4', request: input });
        if (result.outcome !== 'completed') return;
        const usage = { product: 'video_agent', duration_ms: result.duration_ms } as const;
        const charged = price(DEFAULT_RATE_CARD, usage);
        expect(charged.amount_micro_usd).toBeLessThanOrEqual(quote(input).hold_amount_micro_usd);
      }),
    );
  });

  it('a test session holds nothing', () => {
    expect(quote({ prompt: 'Teaser', test: true }).hold_amount_micro_usd).toBe(0n);
  });
});

describe('a session title', () => {
  it.each([
    ['A teaser [simulate:duration=12]', 'A teaser'],
    ['  two\n lines  ', 'two lines'],
    ['[simulate:fail]', 'Video Agent session'],
    ['x'.repeat(81), `${'x'.repeat(79)}…`],
  ])('of %j is %j', (prompt, title) => {
    expect(sessionTitle(prompt)).toBe(title);
  });
});
