/**
 * The usages Tollgate can price and the rate card row each one maps to. This module owns the
 * closed mapping from a usage (product, engine, avatar type, resolution, mode, …) to a sku:
 * Avatar IV and V share rows, 720p and 1080p share the "hd" row, and combinations the published
 * page does not offer (4K cinematic avatar, audio-only precision translation) are rejected here
 * with `product_not_offered` rather than priced. Client-supplied keys are looked up in closed
 * tables, so an unknown value never forms a sku.
 */
import { pricingError } from './errors.ts';
import type { RateUnit } from './rate-card.ts';

export type Resolution = '720p' | '1080p' | '4k';
export type AvatarType = 'photo_avatar' | 'digital_twin' | 'studio_avatar';
export type AvatarEngine = 'avatar_iv' | 'avatar_v' | 'avatar_iii';

/** What was (or will be) produced; durations are of the output, in milliseconds. */
export type Usage =
  | {
      product: 'avatar_video';
      engine: AvatarEngine;
      avatar_type: AvatarType;
      resolution: Resolution;
      duration_ms: bigint;
    }
  /** Flat per video; a `duration_ms`, when given, is checked and then ignored. */
  | { product: 'cinematic_avatar'; resolution: Resolution; duration_ms?: bigint }
  | { product: 'video_agent'; duration_ms: bigint }
  | {
      product: 'video_translation';
      mode: 'speed' | 'precision';
      audio_only: boolean;
      duration_ms: bigint;
    }
  | { product: 'video_translation_proofread'; duration_ms: bigint }
  | { product: 'lipsync'; mode: 'speed' | 'precision'; duration_ms: bigint }
  | { product: 'text_to_speech'; model: 'starfish'; duration_ms: bigint }
  | { product: 'avatar_creation'; avatar_type: 'digital_twin' | 'photo_avatar' };

/** The account facts the seed's eligibility rules depend on. */
export type Eligibility = { existing_avatar_iii_customer: boolean; enterprise: boolean };

const PRODUCT_NAMES: Record<Usage['product'], string> = {
  avatar_video: 'Avatar video',
  cinematic_avatar: 'Cinematic avatar',
  video_agent: 'Video Agent',
  video_translation: 'Video translation',
  video_translation_proofread: 'Video translation proofread',
  lipsync: 'Lipsync',
  text_to_speech: 'Text-to-speech',
  avatar_creation: 'Avatar creation',
};
// Avatar IV and V share rows: the page publishes one table for "Avatar IV & V".
const ENGINE_SKUS: Record<AvatarEngine, string> = {
  avatar_iv: 'avatar_iv_v',
  avatar_v: 'avatar_iv_v',
  avatar_iii: 'avatar_iii',
};
// The page publishes one "720p / 1080p" column and one "4K" column.
const RESOLUTION_SKUS: Record<Resolution, string> = { '720p': 'hd', '1080p': 'hd', '4k': '4k' };

/** How the row for `usage` must be priced: flat per video or call, or per second of output. */
export function unitForUsage(usage: Usage): RateUnit {
  if (usage.product === 'cinematic_avatar') return 'video';
  if (usage.product === 'avatar_creation') return 'call';
  return 'second';
}

/** The sku of the rate card row that prices `usage`; throws for combinations no card offers. */
export function skuForUsage(usage: Usage): string {
  switch (usage.product) {
    case 'avatar_video':
      return [
        pick(ENGINE_SKUS, usage.engine, 'engine.type'),
        usage.avatar_type,
        resolutionSku(usage.resolution),
      ].join('.');
    case 'cinematic_avatar':
      if (resolutionSku(usage.resolution) === '4k') {
        throw pricingError(
          'product_not_offered',
          '4K is not available for cinematic avatar; choose 720p or 1080p',
          'resolution',
        );
      }
      return 'cinematic_avatar.video';
    case 'video_agent':
      return 'video_agent.prompt_to_video';
    case 'video_translation':
      if (usage.mode === 'precision' && usage.audio_only) {
        throw pricingError(
          'product_not_offered',
          'audio-only video translation is offered in speed mode only; precision includes lip sync',
          'translate_audio_only',
        );
      }
      return `video_translation.${usage.mode}.${usage.audio_only ? 'audio_only' : 'lip_sync'}`;
    case 'video_translation_proofread':
      return 'video_translation.proofread';
    case 'lipsync':
      return `lipsync.${usage.mode}`;
    case 'text_to_speech':
      return `text_to_speech.${usage.model}`;
    case 'avatar_creation':
      return `avatar_creation.${usage.avatar_type}`;
    default:
      throw pricingError('product_not_offered', 'unknown product', 'product');
  }
}

function resolutionSku(resolution: Resolution): string {
  return pick(RESOLUTION_SKUS, resolution, 'resolution');
}

/** Looks a client-supplied key up in a closed table, so an unknown value never forms a sku. */
function pick<Key extends string>(table: Record<Key, string>, key: Key, param: string): string {
  if (!Object.hasOwn(table, key)) {
    throw pricingError('product_not_offered', `${param} "${key}" is not offered`, param);
  }
  return table[key];
}

/** The product's name for client-facing messages. */
export function describeProduct(usage: Usage): string {
  return Object.hasOwn(PRODUCT_NAMES, usage.product) ? PRODUCT_NAMES[usage.product] : 'product';
}
