/**
 * The documented success bodies of the HeyGen-compatible `/v3` routes (OpenAPI only; see
 * `envelope.ts`). Each mirrors its renderer (`toVideoDetail`, `toLipsyncDetail`, …): HeyGen's
 * fields, plus the `billing` block Tollgate adds to every job.
 */
import { Type } from 'typebox';
import { dataOf, MicroUsd, Nullable, pageOf, UnixSeconds, Usd } from './envelope.ts';
import { Subscription } from './subscription.ts';

/** `toBilling`: the hold that admitted a job and what it was charged. */
export const JobBilling = Type.Object({
  test: Type.Boolean({ description: '`test: true` jobs are free.' }),
  rate_card_version: Type.String(),
  sku: Type.String(),
  estimate_rule: Type.String(),
  estimated_duration_ms: Nullable(Type.Integer()),
  hold_amount_micro_usd: MicroUsd,
  hold_amount_usd: Usd,
  charged_amount_micro_usd: Nullable(MicroUsd),
  charged_usd: Nullable(Usd),
});

const JobStatus = Type.Enum(['pending', 'processing', 'completed', 'failed']);

const WalletOfUser = Type.Object({
  currency: Type.Literal('usd'),
  remaining_balance: Type.Number({ description: 'Available USD (posted minus held).' }),
  auto_reload: Type.Object({}, { additionalProperties: true }),
  remaining_balance_micro_usd: Type.Integer(),
  held_usd: Type.Number(),
  held_micro_usd: MicroUsd,
  settled_usd: Type.Number(),
  settled_micro_usd: MicroUsd,
  posted_balance_usd: Type.Number(),
  posted_balance_micro_usd: Type.Integer(),
});

/** A usage-based (postpaid) account's current period (`http/schemas/usage-based.ts`). */
const UsageBasedOfUser = Type.Object({
  spending_current_usd: Type.Number({
    description: 'Charges posted in the current period, net of the refunds made in it.',
  }),
  spending_cap_usd: Nullable(Type.Number({ description: 'Per period; null: no cap.' })),
  spending_current_micro_usd: Type.Integer({
    description: 'Negative when refunds exceed charges.',
  }),
  spending_cap_micro_usd: Nullable(MicroUsd),
  held_usd: Type.Number({ description: 'Holds of jobs in progress; they count against the cap.' }),
  held_micro_usd: MicroUsd,
  period: Type.String({ description: 'The current month of the account time zone, YYYY-MM.' }),
  period_start: Type.String({ format: 'date-time' }),
  period_end: Type.String({ format: 'date-time' }),
  time_zone: Type.String(),
});

export const UserMe = dataOf(
  Type.Object({
    username: Type.String(),
    email: Nullable(Type.String()),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    billing_type: Type.Enum(['wallet', 'subscription', 'usage_based'], {
      description:
        'The calling credential’s pool: an API key’s wallet (or postpaid usage), an OAuth token’s web plan.',
    }),
    wallet: Nullable(WalletOfUser),
    subscription: Nullable(Subscription),
    usage_based: Nullable(UsageBasedOfUser),
  }),
);

export const VideoDetail = Type.Object({
  id: Type.String(),
  title: Nullable(Type.String()),
  status: JobStatus,
  created_at: UnixSeconds,
  completed_at: Nullable(UnixSeconds),
  video_url: Nullable(Type.String()),
  thumbnail_url: Nullable(Type.String()),
  gif_url: Nullable(Type.String()),
  captioned_video_url: Nullable(Type.String()),
  subtitle_url: Nullable(Type.String()),
  duration: Nullable(Type.Number({ description: 'Seconds of output.' })),
  folder_id: Type.Null(),
  output_language: Type.Null(),
  failure_code: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  video_page_url: Type.Null(),
  callback_id: Nullable(Type.String()),
  billing: JobBilling,
});

export const VideoCreated = dataOf(
  Type.Object({
    video_id: Type.String(),
    status: Type.Literal('pending'),
    output_format: Type.String(),
  }),
  { video_id: 'video_kxgYXgvBiT2utbiubNNW', status: 'pending', output_format: 'mp4' },
);

export const Deleted = dataOf(
  Type.Object({ id: Type.String(), deleted: Type.Optional(Type.Boolean()) }),
);

export const LipsyncDetail = Type.Object({
  id: Type.String(),
  status: JobStatus,
  title: Nullable(Type.String()),
  duration: Nullable(Type.Number()),
  video_url: Nullable(Type.String()),
  caption_url: Nullable(Type.String()),
  callback_id: Nullable(Type.String()),
  created_at: UnixSeconds,
  failure_message: Nullable(Type.String()),
  billing: JobBilling,
});

export const VideoTranslationDetail = Type.Object({
  id: Type.String(),
  status: JobStatus,
  title: Nullable(Type.String()),
  input_language: Nullable(Type.String()),
  output_language: Type.String(),
  duration: Nullable(Type.Number()),
  translate_audio_only: Type.Boolean(),
  video_url: Nullable(Type.String()),
  audio_url: Type.Null(),
  srt_caption_url: Nullable(Type.String()),
  vtt_caption_url: Type.Null(),
  callback_id: Nullable(Type.String()),
  created_at: UnixSeconds,
  failure_message: Nullable(Type.String()),
  billing: JobBilling,
});

export const ProofreadDetail = Type.Object({
  id: Type.String(),
  status: Type.Enum(['processing', 'completed', 'failed']),
  title: Nullable(Type.String()),
  input_language: Nullable(Type.String()),
  output_language: Type.String(),
  submitted_for_review: Type.Boolean(),
  created_at: UnixSeconds,
  failure_message: Nullable(Type.String()),
  billing: JobBilling,
});

const AgentStatus = Type.String({ description: 'The session status (HeyGen API.md §5).' });

export const AgentSessionCreated = dataOf(
  Type.Object({
    session_id: Type.String(),
    status: AgentStatus,
    created_at: UnixSeconds,
    video_id: Type.Null(),
  }),
);

export const AgentSessionDetail = dataOf(
  Type.Object({
    session_id: Type.String(),
    status: AgentStatus,
    progress: Type.Number(),
    title: Nullable(Type.String()),
    video_id: Nullable(Type.String()),
    created_at: UnixSeconds,
    messages: Type.Array(
      Type.Object({
        role: Type.String(),
        content: Type.String(),
        type: Type.Enum(['text', 'resource', 'error']),
        created_at: UnixSeconds,
        resource_ids: Nullable(Type.Array(Type.String())),
      }),
    ),
    billing: Type.Object({}, { additionalProperties: true, description: 'Held and charged.' }),
  }),
);

export const AgentSessionPage = pageOf(
  Type.Object({
    session_id: Type.String(),
    created_at: UnixSeconds,
    title: Nullable(Type.String()),
  }),
);

export const AgentMessageSent = dataOf(
  Type.Object({ session_id: Type.String(), run_id: Type.String(), title: Nullable(Type.String()) }),
);

export const AgentSessionStopped = dataOf(Type.Object({ session_id: Type.String() }));

export const AvatarLook = Type.Object({
  id: Type.String(),
  name: Type.String(),
  avatar_type: Type.String(),
  group_id: Type.String(),
  default_voice_id: Nullable(Type.String()),
  gender: Nullable(Type.Enum(['female', 'male'])),
  preview_image_url: Nullable(Type.String()),
  preview_video_url: Nullable(Type.String()),
  preferred_orientation: Type.Enum(['portrait', 'landscape', 'square']),
  image_width: Nullable(Type.Integer()),
  image_height: Nullable(Type.Integer()),
  status: Nullable(Type.Enum(['processing', 'pending_consent', 'failed', 'completed'])),
  supported_api_engines: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
});

export const AvatarGroup = Type.Object(
  { id: Type.String(), name: Type.String() },
  { additionalProperties: true },
);

export const AvatarCreated = dataOf(
  Type.Object({
    avatar_item: AvatarLook,
    avatar_group: AvatarGroup,
    billing: Type.Object({
      rate_card_version: Type.String(),
      sku: Type.String(),
      hold_amount_micro_usd: MicroUsd,
      hold_amount_usd: Usd,
    }),
  }),
);

const VoiceFields = {
  voice_id: Type.String(),
  name: Type.String(),
  language: Type.String(),
  gender: Type.String(),
  preview_audio_url: Nullable(Type.String()),
  support_pause: Type.Boolean(),
};

export const VoicePage = pageOf(
  Type.Object({ ...VoiceFields, support_locale: Type.Boolean(), type: Type.String() }),
);

export const VoiceDetail = dataOf(
  Type.Object({
    ...VoiceFields,
    status: Type.Null(),
    created_at: Type.Null(),
    failure_message: Type.Null(),
    support_interactive_avatar: Type.Boolean(),
  }),
);

export const SpeechCreated = dataOf(
  Type.Object({
    audio_url: Type.String(),
    duration: Type.Number({ description: 'Seconds of audio; the charge is per second of it.' }),
    request_id: Type.String(),
    word_timestamps: Type.Array(Type.Object({}, { additionalProperties: true })),
    billing: Type.Object({
      rate_card_version: Type.String(),
      sku: Type.String(),
      estimate_rule: Type.String(),
      hold_amount_micro_usd: MicroUsd,
      charged_amount_micro_usd: MicroUsd,
      charged_usd: Usd,
    }),
  }),
);
