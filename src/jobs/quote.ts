/**
 * The price estimate that sizes a job's hold. Each rule gives an upper bound of the output
 * duration, documented in docs/estimates.md:
 * - script: its characters at a conservative 10 characters per second (the simulator speaks 15,
 *   real voices 13–16), slowed further by `voice_settings.speed` below 1;
 * - audio: its declared `audio_duration_ms`, else HeyGen's 10-minute audio limit;
 * - cinematic avatar: the flat price per video (the duration does not change the price).
 * Every duration is capped at `job_duration_ms_max`, the longest output a job is billed for.
 * The quote is priced on the card in effect, whose version the job keeps for settlement.
 */

import { getAccount } from '../accounts/accounts.ts';
import type { Limits } from '../config.ts';
import type { AppContext } from '../context.ts';
import { checkEligibility, price } from '../pricing/price.ts';
import { pricingFor } from '../pricing/pricing-for.ts';
import type { RateCard, RateUnit } from '../pricing/rate-card.ts';
import type { AvatarEngine, AvatarType, Eligibility, Resolution, Usage } from '../pricing/usage.ts';
import { assert } from '../shared/assert.ts';
import { divCeil } from '../shared/money.ts';
import type { CreateVideoInput } from './video-input.ts';
import { parseVideoInput, type Speech, type VideoSpec } from './video-spec.ts';

/** Characters per second the hold assumes a voice speaks at `speed` 1 (slower than any voice). */
export const ESTIMATE_CHARS_PER_S = 10n;
/** The hold's duration for audio of unknown length: HeyGen's audio limit, 10 minutes. */
export const AUDIO_DURATION_MS_UNDECLARED = 600_000n;

export type EstimateRule =
  | 'script_chars_at_10_per_s'
  | 'declared_audio_duration'
  | 'audio_limit_600_s'
  | 'flat_per_video';

/** The pricing usage of a job, without the output duration it is settled on. */
export type JobUsage =
  | {
      product: 'avatar_video';
      engine: AvatarEngine;
      avatar_type: AvatarType;
      resolution: Resolution;
    }
  | { product: 'cinematic_avatar'; resolution: Resolution };

export type Quote = {
  usage: JobUsage;
  rate_card_version: string;
  sku: string;
  unit: RateUnit;
  rate_micro_usd: bigint;
  rate_usd: string;
  estimated_duration_ms: bigint;
  estimate_rule: EstimateRule;
  /** The estimate's price; what admission holds unless the job is a free test. */
  estimated_amount_micro_usd: bigint;
  hold_amount_micro_usd: bigint;
  test: boolean;
};

/** Quotes a request body for an account, on the card in effect now. Reads; writes nothing. */
export async function quoteVideo(
  ctx: AppContext,
  request: { account_id: string; input: CreateVideoInput },
): Promise<Quote> {
  const spec = parseVideoInput(request.input);
  const account = await getAccount(ctx, request.account_id);
  const at = { account_id: account.id, at_ms: ctx.clock.now_ms() };
  const pricing = await pricingFor(ctx.db, at);
  return quoteSpec(pricing.card, spec, account, ctx.config.limits);
}

/** Pure: checks eligibility, estimates the duration and prices it on `card`. */
export function quoteSpec(
  card: RateCard,
  spec: VideoSpec,
  account: Eligibility,
  limits: Pick<Limits, 'job_duration_ms_max'>,
): Quote {
  const usage = usageOf(spec);
  const estimate = estimateDuration(spec, limits.job_duration_ms_max);
  const priced = withDuration(usage, estimate.duration_ms);
  checkEligibility(card, priced, account);
  const estimated = price(card, priced);
  const row = card.rows.find((candidate) => candidate.sku === estimated.sku);
  assert(row?.rate_usd != null, `priced sku ${estimated.sku} has a published rate`);
  return {
    usage,
    rate_card_version: card.version,
    sku: estimated.sku,
    unit: estimated.unit,
    rate_micro_usd: estimated.rate_micro_usd,
    rate_usd: row.rate_usd,
    estimated_duration_ms: estimate.duration_ms,
    estimate_rule: estimate.rule,
    estimated_amount_micro_usd: estimated.amount_micro_usd,
    hold_amount_micro_usd: spec.test ? 0n : estimated.amount_micro_usd,
    test: spec.test,
  };
}

export function usageOf(spec: VideoSpec): JobUsage {
  if (spec.type === 'cinematic_avatar') {
    return { product: 'cinematic_avatar', resolution: spec.resolution };
  }
  // An image is animated as a photo avatar and priced on that row.
  const avatar_type = spec.type === 'avatar' ? spec.look.avatar_type : 'photo_avatar';
  return { product: 'avatar_video', engine: spec.engine, avatar_type, resolution: spec.resolution };
}

export function withDuration(usage: JobUsage, duration_ms: bigint): Usage {
  return { ...usage, duration_ms };
}

export function estimateDuration(
  spec: VideoSpec,
  duration_ms_max: bigint,
): { duration_ms: bigint; rule: EstimateRule } {
  if (spec.type === 'cinematic_avatar') {
    return { duration_ms: BigInt(spec.duration_s) * 1000n, rule: 'flat_per_video' };
  }
  const estimate = estimateSpeech(spec.speech);
  const capped = estimate.duration_ms < duration_ms_max ? estimate.duration_ms : duration_ms_max;
  return { duration_ms: capped, rule: estimate.rule };
}

function estimateSpeech(speech: Speech): { duration_ms: bigint; rule: EstimateRule } {
  if (speech.kind === 'audio') {
    return speech.declared_duration_ms === null
      ? { duration_ms: AUDIO_DURATION_MS_UNDECLARED, rule: 'audio_limit_600_s' }
      : { duration_ms: speech.declared_duration_ms, rule: 'declared_audio_duration' };
  }
  // chars / (10 × speed) seconds, in whole milliseconds rounded up; speed in thousandths.
  const speedMilli = BigInt(Math.round(speech.speed * 1000));
  assert(speedMilli > 0n, 'voice speed is positive');
  const durationMs = divCeil(
    BigInt(speech.char_count) * 1000n * 1000n,
    ESTIMATE_CHARS_PER_S * speedMilli,
  );
  return { duration_ms: durationMs, rule: 'script_chars_at_10_per_s' };
}
