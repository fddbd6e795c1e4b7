/**
 * The default rate card: HeyGen's published Pay-As-You-Go table (`seed/pricing-page.txt`),
 * verbatim. Every published rate appears once, as the decimal string the page prints, so a
 * reader can check this file against the page line by line. It has no increments or minimums:
 * per-second rows bill to the millisecond. Two facts from the page are flags, not prices:
 * Avatar III is for existing customers only, and video translation proofread is Enterprise-only
 * with no published self-serve rate (`rate_usd: null`, so pricing it on this card is
 * `product_not_offered`).
 */
import { loadRateCard, type RateCard, type RawRateCard } from './rate-card.ts';

/** Avatar III: "available to existing customers only. It is not offered to new users." */
const EXISTING_ONLY = { existing_customers_only: true } as const;

export const DEFAULT_RATE_CARD_VERSION = 'heygen-payg-2026-06';

export const DEFAULT_RAW_RATE_CARD: RawRateCard = {
  version: DEFAULT_RATE_CARD_VERSION,
  effective_at_ms: 0n,
  rows: [
    // Video Generation — Avatar IV & V ("hd" is the page's "720p / 1080p" column).
    { sku: 'avatar_iv_v.photo_avatar.hd', unit: 'second', rate_usd: '0.05' },
    { sku: 'avatar_iv_v.photo_avatar.4k', unit: 'second', rate_usd: '0.0667' },
    { sku: 'avatar_iv_v.digital_twin.hd', unit: 'second', rate_usd: '0.0667' },
    { sku: 'avatar_iv_v.digital_twin.4k', unit: 'second', rate_usd: '0.0833' },
    { sku: 'avatar_iv_v.studio_avatar.hd', unit: 'second', rate_usd: '0.0667' },
    { sku: 'avatar_iv_v.studio_avatar.4k', unit: 'second', rate_usd: '0.0833' },
    // Video Generation — Avatar III: existing customers only.
    { sku: 'avatar_iii.photo_avatar.hd', unit: 'second', rate_usd: '0.0167', ...EXISTING_ONLY },
    { sku: 'avatar_iii.photo_avatar.4k', unit: 'second', rate_usd: '0.02', ...EXISTING_ONLY },
    { sku: 'avatar_iii.digital_twin.hd', unit: 'second', rate_usd: '0.0167', ...EXISTING_ONLY },
    { sku: 'avatar_iii.digital_twin.4k', unit: 'second', rate_usd: '0.02', ...EXISTING_ONLY },
    { sku: 'avatar_iii.studio_avatar.hd', unit: 'second', rate_usd: '0.0167', ...EXISTING_ONLY },
    { sku: 'avatar_iii.studio_avatar.4k', unit: 'second', rate_usd: '0.02', ...EXISTING_ONLY },
    // Cinematic Avatar: flat per video; 720p and 1080p only.
    { sku: 'cinematic_avatar.video', unit: 'video', rate_usd: '7.00' },
    // Video Agent.
    { sku: 'video_agent.prompt_to_video', unit: 'second', rate_usd: '0.0333' },
    // Video Translation. Proofread: "available on Enterprise plans only", no rate published.
    { sku: 'video_translation.speed.audio_only', unit: 'second', rate_usd: '0.0167' },
    { sku: 'video_translation.speed.lip_sync', unit: 'second', rate_usd: '0.0333' },
    { sku: 'video_translation.precision.lip_sync', unit: 'second', rate_usd: '0.0667' },
    { sku: 'video_translation.proofread', unit: 'second', rate_usd: null, enterprise_only: true },
    // Lipsync.
    { sku: 'lipsync.speed', unit: 'second', rate_usd: '0.0333' },
    { sku: 'lipsync.precision', unit: 'second', rate_usd: '0.0667' },
    // Text-to-Speech.
    { sku: 'text_to_speech.starfish', unit: 'second', rate_usd: '0.000667' },
    // Avatar Creation.
    { sku: 'avatar_creation.digital_twin', unit: 'call', rate_usd: '1.00' },
    { sku: 'avatar_creation.photo_avatar', unit: 'call', rate_usd: '1.00' },
  ],
};

export const DEFAULT_RATE_CARD: RateCard = loadRateCard(DEFAULT_RAW_RATE_CARD);
