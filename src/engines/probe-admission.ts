/**
 * Which media a job's hold estimate needs, and their durations, read before the admitting
 * transaction (network calls never run inside one). Only for a job a remote engine will render:
 * the simulator knows its sources from their markers. The sources are found by asking the
 * product's own estimate once with a prober that records what it is asked and knows nothing, so
 * a product needs no list of its media fields. At most `PROBES_PER_JOB_MAX` sources, probed
 * concurrently, each bounded by the media probe's own time and size limits.
 */
import type { AppContext } from '../context.ts';
import type { AnyProduct } from '../products/product.ts';
import type { ProbeSource } from './engine.ts';
import { engineFor, type ProbedMedia } from './engines.ts';
import { probeMediaDurationMs } from './media-probe.ts';

export const PROBES_PER_JOB_MAX = 4;

/** The probed durations of the job's media sources by URL; undefined when none is needed. */
export async function probeAdmissionMedia(
  ctx: Pick<AppContext, 'config' | 'log'>,
  request: { product: AnyProduct; input: unknown; spec: unknown },
): Promise<ProbedMedia | undefined> {
  const engine = engineFor(ctx.config, request.product.kind);
  if (engine.mode !== 'remote') return undefined;
  const urls = new Set<string>();
  const recorder = {
    probeDurationMs: (source: ProbeSource) => {
      if (source.type === 'url' && typeof source.url === 'string') urls.add(source.url);
      return null;
    },
  };
  request.product.estimate({ input: request.input, spec: request.spec }, recorder);
  if (urls.size === 0) return undefined;
  const wanted = [...urls].slice(0, PROBES_PER_JOB_MAX);
  const durations = await Promise.all(wanted.map((url) => probeMediaDurationMs(ctx, url)));
  return new Map(wanted.map((url, index) => [url, durations[index] ?? null]));
}
