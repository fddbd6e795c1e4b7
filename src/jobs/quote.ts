/**
 * The one place the job lifecycle calls into pricing. It prices a product's hold estimate on
 * the card in effect (`quoteJob`, for admission and `POST /billing/v1/quote`) and a finished
 * job's actual output on the card version it was admitted under (`chargeFor`). Each product
 * gives the usage and the estimate rule (`src/products`); every estimated duration is capped at
 * `job_duration_ms_max`, the longest output a job is ever billed for (docs/estimates.md).
 */

import type { Limits } from '../config.ts';
import type { TxContext } from '../context.ts';
import type { Prober } from '../engines/engine.ts';
import { checkEligibility, price } from '../pricing/price.ts';
import { pricingByRef } from '../pricing/pricing-for.ts';
import type { RateCard, RateUnit } from '../pricing/rate-card.ts';
import type { Eligibility, Usage } from '../pricing/usage.ts';
import type { AnyProduct } from '../products/product.ts';
import { assert } from '../shared/assert.ts';
import { divCeil } from '../shared/money.ts';
import type { JobRow } from './jobs.table.ts';

/** Characters per second the hold assumes a voice speaks at `speed` 1 (slower than any voice). */
export const ESTIMATE_CHARS_PER_S = 10n;
/**
 * A script's (or speech text's) estimated duration: `ceil(chars × 1000 / (10 × speed))` ms, with
 * `speed` taken in thousandths so no float reaches the division.
 */
export function scriptEstimateMs(char_count: number, speed: number): bigint {
  const speedMilli = BigInt(Math.round(speed * 1000));
  assert(speedMilli > 0n, 'voice speed is positive');
  return divCeil(BigInt(char_count) * 1000n * 1000n, ESTIMATE_CHARS_PER_S * speedMilli);
}

/** The hold's duration for audio of unknown length: HeyGen's audio limit, 10 minutes. */
export const AUDIO_DURATION_MS_UNDECLARED = 600_000n;

export type EstimateRule =
  | 'script_chars_at_10_per_s'
  | 'declared_audio_duration'
  | 'probed_source_duration'
  | 'audio_limit_600_s'
  | 'declared_video_duration'
  | 'video_limit_3600_s'
  | 'flat_per_video'
  | 'requested_duration'
  | 'agent_video_limit_300_s'
  | 'flat_per_call';

type WithoutDuration<U> = U extends unknown ? Omit<U, 'duration_ms'> : never;
/** The pricing usage of a job, without the output duration it is settled on. */
export type JobUsage = WithoutDuration<Usage>;

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

export type QuoteRequest = {
  product: AnyProduct;
  input: unknown;
  spec: unknown;
  account: Eligibility;
  /** What the estimate may ask about sources (the engine's markers, probed media). */
  engine: Prober;
};

/** Pure: checks eligibility, estimates the output duration and prices it on `card`. */
export function quoteJob(
  card: RateCard,
  request: QuoteRequest,
  limits: Pick<Limits, 'job_duration_ms_max'>,
): Quote {
  const { product, input, spec } = request;
  const usage = product.usage(spec);
  const estimate = product.estimate({ input, spec }, request.engine);
  const duration_ms = atMost(estimate.duration_ms, limits.job_duration_ms_max);
  const priced = withDuration(usage, duration_ms);
  checkEligibility(card, priced, request.account);
  const estimated = price(card, priced);
  const row = card.rows.find((candidate) => candidate.sku === estimated.sku);
  assert(row?.rate_usd != null, `priced sku ${estimated.sku} has a published rate`);
  const test = product.facts(input, spec).test;
  return {
    usage,
    rate_card_version: card.version,
    sku: estimated.sku,
    unit: estimated.unit,
    rate_micro_usd: estimated.rate_micro_usd,
    rate_usd: row.rate_usd,
    estimated_duration_ms: duration_ms,
    estimate_rule: estimate.rule,
    estimated_amount_micro_usd: estimated.amount_micro_usd,
    hold_amount_micro_usd: test ? 0n : estimated.amount_micro_usd,
    test,
  };
}

export function withDuration(usage: JobUsage, duration_ms: bigint): Usage {
  return { ...usage, duration_ms } as Usage;
}

/**
 * The actual price of `duration_ms` of output (billed up to `job_duration_ms_max`), on the card
 * version and rate override the job was admitted under.
 */
export async function chargeFor(tx: TxContext, job: JobRow, duration_ms: bigint): Promise<bigint> {
  const duration_ms_max = tx.config.limits.job_duration_ms_max;
  assert(duration_ms >= 0n, `job ${job.id}: an output duration is never negative`);
  const billedMs = atMost(duration_ms, duration_ms_max);
  const usage = JSON.parse(job.usage_json) as JobUsage;
  assert(usage.product === job.product, `job ${job.id}: stored usage matches its product`);
  const ref = { rate_card_version: job.rate_card_version, override_id: job.rate_override_id };
  const { card } = await pricingByRef(tx, ref);
  return price(card, withDuration(usage, billedMs)).amount_micro_usd;
}

/** `value` capped at `max` (bigints: `Math.min` takes numbers only). */
function atMost(value: bigint, max: bigint): bigint {
  return value > max ? max : value;
}
