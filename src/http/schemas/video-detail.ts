/**
 * A job as HeyGen's VideoDetail: instants in Unix seconds, `duration` in seconds (a number), and
 * null for what Tollgate does not produce (folders, translations, share pages). Beside HeyGen's
 * fields, `billing` shows the money: the hold that admitted the job, the amount charged when it
 * ended (0 for failed, cancelled and test jobs) and the rate card version and sku it was priced on.
 */
import type { JobRow } from '../../jobs/jobs.table.ts';
import { formatMicroUsd } from '../../shared/money.ts';

export type VideoStatus = 'pending' | 'processing' | 'completed' | 'failed';

const toUnixSeconds = (instant_ms: bigint | null) =>
  instant_ms === null ? null : Number(instant_ms / 1000n);

export function toVideoDetail(job: JobRow) {
  return {
    id: job.id,
    title: job.title,
    // HeyGen has no cancelled status; failed is the nearest word. A deleted video is never shown;
    // a stopped Video Agent session's unfinished video is (`failure_code: "cancelled"`).
    status: (job.status === 'cancelled' ? 'failed' : job.status) as VideoStatus,
    created_at: toUnixSeconds(job.created_at_ms),
    completed_at: toUnixSeconds(job.completed_at_ms),
    video_url: job.video_url,
    thumbnail_url: job.thumbnail_url,
    gif_url: job.gif_url,
    captioned_video_url: job.captioned_video_url,
    subtitle_url: job.subtitle_url,
    duration: job.duration_ms === null ? null : Number(job.duration_ms) / 1000,
    folder_id: null,
    output_language: null,
    failure_code: job.failure_code,
    failure_message: job.failure_message,
    video_page_url: null,
    callback_id: job.callback_id,
    billing: toBilling(job),
  };
}

export function toBilling(job: JobRow) {
  const charged = job.charged_amount_micro_usd;
  return {
    test: job.test === 1n,
    rate_card_version: job.rate_card_version,
    sku: job.sku,
    estimate_rule: job.estimate_rule,
    estimated_duration_ms: job.estimated_duration_ms,
    hold_amount_micro_usd: job.hold_amount_micro_usd,
    hold_amount_usd: formatMicroUsd(job.hold_amount_micro_usd),
    charged_amount_micro_usd: charged,
    charged_usd: charged === null ? null : formatMicroUsd(charged),
  };
}
