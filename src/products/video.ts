/**
 * Avatar videos (`POST /v3/videos`: avatar, image, cinematic avatar) as a product: the request
 * rules are `jobs/video-spec.ts` (over the demo looks and the account's own trained looks, read
 * here), the estimate rules docs/estimates.md.
 */
import { findAccountLooks } from '../avatars/looks.ts';
import type { Prober } from '../engines/engine.ts';
import { AUDIO_DURATION_MS_UNDECLARED, type JobUsage, scriptEstimateMs } from '../jobs/quote.ts';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { parseVideoInput, privateLookIds, type VideoSpec } from '../jobs/video-spec.ts';
import type { Estimate, Product } from './product.ts';

export const VIDEO_PRODUCT: Product<CreateVideoInput, VideoSpec> = {
  kind: 'video',
  id_prefix: 'video',
  noun: 'Video',
  id_param: 'video_id',
  parse: async (input, scope) => {
    const look_ids = privateLookIds(input);
    const looks = await findAccountLooks(scope.db, { account_id: scope.account_id, look_ids });
    return parseVideoInput(input, looks);
  },
  facts: (input, spec) => ({
    title: input.title ?? null,
    callback_url: input.callback_url ?? null,
    callback_id: input.callback_id ?? null,
    test: spec.test,
    output_format: spec.output_format,
  }),
  usage: videoUsage,
  estimate: ({ input, spec }, engine) => estimateVideo(input, spec, engine),
  render: (engine, job) => engine.renderVideo(job),
};

export function videoUsage(spec: VideoSpec): JobUsage {
  if (spec.type === 'cinematic_avatar') {
    return { product: 'cinematic_avatar', resolution: spec.resolution };
  }
  // An image is animated as a photo avatar and priced on that row.
  const avatar_type = spec.type === 'avatar' ? spec.look.avatar_type : 'photo_avatar';
  return { product: 'avatar_video', engine: spec.engine, avatar_type, resolution: spec.resolution };
}

function estimateVideo(input: CreateVideoInput, spec: VideoSpec, engine: Prober): Estimate {
  if (spec.type === 'cinematic_avatar') {
    return { duration_ms: BigInt(spec.duration_s) * 1000n, rule: 'flat_per_video' };
  }
  const speech = spec.speech;
  if (speech.kind === 'audio') {
    if (speech.declared_duration_ms !== null) {
      return { duration_ms: speech.declared_duration_ms, rule: 'declared_audio_duration' };
    }
    const probed = input.audio_url
      ? engine.probeDurationMs({ type: 'url', url: input.audio_url })
      : null;
    return probed === null
      ? { duration_ms: AUDIO_DURATION_MS_UNDECLARED, rule: 'audio_limit_600_s' }
      : { duration_ms: probed, rule: 'probed_source_duration' };
  }
  const probed = engine.probeDurationMs({ type: 'text', text: input.script ?? '' });
  if (probed !== null) return { duration_ms: probed, rule: 'probed_source_duration' };
  const duration_ms = scriptEstimateMs(speech.char_count, speech.speed);
  return { duration_ms, rule: 'script_chars_at_10_per_s' };
}
