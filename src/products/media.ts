/**
 * What products share about media inputs (`{type: 'url' | 'asset_id', …}`): the check that an
 * input names its source, and the hold estimate of an output that lasts as long as a source
 * (a lipsync's new audio, a translation's video): its declared length, else the length the
 * engine probes, else the product's documented maximum.
 */
import type { Prober } from '../engines/engine.ts';
import type { MediaInput } from '../engines/inputs.ts';
import { jobError } from '../jobs/errors.ts';
import type { EstimateRule } from '../jobs/quote.ts';
import type { Estimate } from './product.ts';

/** Throws `invalid_job_request` naming `<param>.url` or `<param>.asset_id` when it is missing. */
export function requireMediaSource(media: MediaInput, param: string): void {
  const field = media.type === 'url' ? 'url' : 'asset_id';
  if (typeof media[field] !== 'string' || media[field] === '') {
    throw jobError(
      'invalid_job_request',
      `${param} of type '${media.type}' needs ${field}.`,
      `${param}.${field}`,
    );
  }
}

export type SourceEstimate = {
  source: MediaInput;
  /** The length the request declares (a Tollgate extension), if any. */
  declared_ms: bigint | null;
  declared_rule: EstimateRule;
  /** The documented maximum, for a source of unknown length. */
  unknown: Estimate;
};

/** The estimate of an output as long as `source`: declared, else probed, else the maximum. */
export function estimateFromSource(engine: Prober, request: SourceEstimate): Estimate {
  if (request.declared_ms !== null) {
    return { duration_ms: request.declared_ms, rule: request.declared_rule };
  }
  const probed = engine.probeDurationMs(request.source);
  return probed === null
    ? request.unknown
    : { duration_ms: probed, rule: 'probed_source_duration' };
}
