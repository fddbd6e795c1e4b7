/**
 * The default credit rate card: credits per minute of output (per video or call for the flat
 * products). ASSUMPTIONS the operator should replace with their own card (docs/web-plans.md):
 * HeyGen publishes no web-plan burn rates on its own pages. The figures marked [S] are the
 * secondary sources quoted in API.md §13.5 (Avatar IV/V 20 credits/min, Avatar III 3, video
 * translation speed 6, audio only 4); the rest follow the USD card at 1 credit ≈ $0.20 of
 * Pay-As-You-Go usage (Avatar IV/V digital twin: $0.0667/s = $4.00/min = 20 credits). Proofread
 * has no row: it is not offered on web plans (Enterprise contracts, through API keys).
 */
import { type CreditCard, type CreditCardInput, loadCreditCard } from './credit-card.ts';

export const DEFAULT_CREDIT_CARD_VERSION = 'tollgate-web-plan-credits-2026-12';

const perMinute = (sku: string, credits: string) => ({ sku, per: 'minute' as const, credits });

export const DEFAULT_CREDIT_CARD_INPUT: CreditCardInput = {
  version: DEFAULT_CREDIT_CARD_VERSION,
  effective_at_ms: 0n,
  rows: [
    perMinute('avatar_iv_v.photo_avatar.hd', '20'), // [S]
    perMinute('avatar_iv_v.photo_avatar.4k', '25'),
    perMinute('avatar_iv_v.digital_twin.hd', '20'), // [S]
    perMinute('avatar_iv_v.digital_twin.4k', '25'),
    perMinute('avatar_iv_v.studio_avatar.hd', '20'), // [S]
    perMinute('avatar_iv_v.studio_avatar.4k', '25'),
    perMinute('avatar_iii.photo_avatar.hd', '3'), // [S]
    perMinute('avatar_iii.photo_avatar.4k', '4'),
    perMinute('avatar_iii.digital_twin.hd', '3'), // [S]
    perMinute('avatar_iii.digital_twin.4k', '4'),
    perMinute('avatar_iii.studio_avatar.hd', '3'), // [S]
    perMinute('avatar_iii.studio_avatar.4k', '4'),
    { sku: 'cinematic_avatar.video', per: 'video', credits: '35' },
    perMinute('video_agent.prompt_to_video', '10'),
    perMinute('video_translation.speed.audio_only', '4'), // [S]
    perMinute('video_translation.speed.lip_sync', '6'), // [S]
    perMinute('video_translation.precision.lip_sync', '12'),
    perMinute('lipsync.speed', '10'),
    perMinute('lipsync.precision', '20'),
    perMinute('text_to_speech.starfish', '0.2'),
    { sku: 'avatar_creation.digital_twin', per: 'call', credits: '5' },
    { sku: 'avatar_creation.photo_avatar', per: 'call', credits: '5' },
  ],
};

export const DEFAULT_CREDIT_CARD: CreditCard = loadCreditCard(DEFAULT_CREDIT_CARD_INPUT);
