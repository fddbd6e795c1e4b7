/**
 * The webhook event types a customer may subscribe to (`GET /v3/webhooks/event-types`): every
 * type HeyGen lists (API.md §11.2), so a HeyGen client's subscription is accepted as it is, and
 * every type of Tollgate's outbox (`events/events.ts`). Each has a description; a HeyGen type
 * for a product Tollgate does not sell says that it is never sent. Outbox events keep their type
 * as their webhook type.
 */
import { EVENT_TYPES } from '../events/events.ts';

/** HeyGen's event types, in the order of its enum (CLI 2026-07-21). */
export const HEYGEN_EVENT_TYPES = [
  'avatar_video.success',
  'avatar_video.fail',
  'avatar_video_gif.success',
  'avatar_video_gif.fail',
  'video_translate.success',
  'video_translate.fail',
  'video_translate.preflight.validation_failed',
  'video_translate.preflight.download_failed',
  'personalized_video',
  'instant_avatar.success',
  'instant_avatar.fail',
  'photo_avatar_generation.success',
  'photo_avatar_generation.fail',
  'photo_avatar_train.success',
  'photo_avatar_train.fail',
  'photo_avatar_add_motion.success',
  'photo_avatar_add_motion.fail',
  'proofread_creation.success',
  'proofread_creation.fail',
  'live_avatar.success',
  'live_avatar.fail',
  'avatar_video_caption.success',
  'avatar_video_caption.fail',
  'video_agent.success',
  'video_agent.fail',
  'hyperframes_video.success',
  'hyperframes_video.fail',
  'ai_clipping.success',
  'ai_clipping.fail',
  'batch.finished',
] as const;

const DESCRIPTIONS: Record<string, string> = {
  'avatar_video.success': 'An avatar video (POST /v3/videos) finished rendering.',
  'avatar_video.fail': 'An avatar video (POST /v3/videos) failed; it was not charged.',
  'video_translate.success': 'A video translation finished.',
  'video_translate.fail': 'A video translation failed; it was not charged.',
  'proofread_creation.success': 'A translation proofread session is ready.',
  'proofread_creation.fail': 'A translation proofread session failed; it was not charged.',
  'video_agent.success': 'A video made by a Video Agent session finished.',
  'video_agent.fail': 'A video made by a Video Agent session failed; it was not charged.',
  'instant_avatar.success': 'A digital-twin avatar (POST /v3/avatars) finished training.',
  'instant_avatar.fail': 'A digital-twin avatar failed to train; it was not charged.',
  'photo_avatar_train.success': 'A photo avatar (POST /v3/avatars) finished training.',
  'photo_avatar_train.fail': 'A photo avatar failed to train; it was not charged.',
  'photo_avatar_generation.success': 'A prompt-generated photo avatar is ready.',
  'photo_avatar_generation.fail': 'A prompt-generated photo avatar failed; it was not charged.',
  'lipsync.success': 'Tollgate: a lipsync (POST /v3/lipsyncs) finished.',
  'lipsync.fail': 'Tollgate: a lipsync failed; it was not charged.',
  'webhook_endpoint.disabled': 'Tollgate: an endpoint was disabled after failing repeatedly.',
  'balance.low': 'Tollgate: the wallet fell below its low-balance alert threshold.',
  'top_up.credited': 'Tollgate: a top-up was paid and credited to the wallet.',
  'top_up.reversed': 'Tollgate: a top-up was refunded or lost a dispute and was debited back.',
  'auto_reload.succeeded': 'Tollgate: an automatic reload was charged and credited.',
  'auto_reload.failed': 'Tollgate: an automatic reload payment failed.',
  'auto_reload.disabled': 'Tollgate: auto-reload was turned off after repeated failures.',
  'grant.expired': 'Tollgate: the unspent part of a grant expired.',
  'adjustment.applied': 'Tollgate: the operator credited or debited the wallet.',
  'spending_cap.reached': 'Tollgate: usage reached the account spending cap.',
  'credits.reset': 'Tollgate: the web plan credits were reset for a new cycle.',
};

const NEVER_SENT = 'HeyGen event type for a product this gateway does not sell; never sent.';

/** Every subscribable type: HeyGen's, then Tollgate's own outbox types. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...HEYGEN_EVENT_TYPES,
  ...EVENT_TYPES.filter((type) => !(HEYGEN_EVENT_TYPES as readonly string[]).includes(type)),
];

export function isWebhookEventType(type: string): boolean {
  return WEBHOOK_EVENT_TYPES.includes(type);
}

/** The catalog `GET /v3/webhooks/event-types` answers. */
export function listEventTypes(): { event_type: string; description: string }[] {
  return WEBHOOK_EVENT_TYPES.map((event_type) => ({
    event_type,
    description:
      DESCRIPTIONS[event_type] ?? (isOutboxType(event_type) ? 'Tollgate event.' : NEVER_SENT),
  }));
}

function isOutboxType(type: string): boolean {
  return (EVENT_TYPES as readonly string[]).includes(type);
}
