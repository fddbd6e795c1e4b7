/**
 * Job outcomes as events, written in the transaction that ends the job (`jobs/settle.ts`
 * `endJob`), so an outcome event exists exactly when the job's end committed. Each product maps
 * to HeyGen's event type for it (`avatar_video.success`, `video_translate.fail`, …; lipsync has
 * none at HeyGen and gets Tollgate's `lipsync.*`), with `event_data` in HeyGen's field names. A
 * job with a `callback_url` (or a Video Agent video, whose session's) also gets a delivery to
 * that URL in the same transaction. Cancelled jobs, Video Agent sessions (their videos report)
 * and Text-to-Speech (answered synchronously) record nothing.
 */
import type { TxContext } from '../context.ts';
import { type EventType, recordEvent } from '../events/events.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { enqueueCallbackDelivery } from './deliveries.ts';

type Role = 'completed' | 'failed' | 'cancelled';
type Outcome = { type: EventType; event_data: Record<string, unknown> };

/**
 * Records the outcome event of a job that just moved into `role` (and its callback). `job`, if
 * given, is the job's row as this transaction wrote it (the caller had it locked); otherwise the
 * row is read.
 */
export async function recordJobOutcome(
  tx: TxContext,
  input: { job_id: string; role: Role; job?: JobRow | null },
): Promise<void> {
  if (input.role === 'cancelled') return;
  const job =
    input.job ??
    (await tx.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', input.job_id)
      .executeTakeFirstOrThrow());
  const parent = job.parent_id === null ? null : await callbackOf(tx, job.parent_id);
  const callback = parent ?? { callback_url: job.callback_url, callback_id: job.callback_id };
  const outcome = outcomeOf(job, input.role === 'completed', callback.callback_id);
  if (outcome === null) return;
  const event = await recordEvent(tx, {
    type: outcome.type,
    account_id: job.account_id,
    entity_id: job.parent_id ?? job.id,
    payload: outcome.event_data,
  });
  if (callback.callback_url !== null) {
    await enqueueCallbackDelivery(tx, { event, callback_url: callback.callback_url });
  }
}

function callbackOf(tx: TxContext, job_id: string) {
  return tx.db
    .selectFrom('jobs')
    .select(['callback_url', 'callback_id'])
    .where('id', '=', job_id)
    .executeTakeFirstOrThrow();
}

/** The event type and HeyGen-shaped `event_data` of a job's end; null: no event. */
export function outcomeOf(
  job: JobRow,
  success: boolean,
  callback_id: string | null,
): Outcome | null {
  const failure = { msg: job.failure_message, failure_code: job.failure_code };
  const duration = job.duration_ms === null ? null : Number(job.duration_ms) / 1000;
  switch (job.kind) {
    case 'video':
      return success
        ? outcome('avatar_video.success', {
            video_id: job.id,
            url: job.video_url,
            thumbnail_url: job.thumbnail_url,
            gif_download_url: job.gif_url,
            duration,
            callback_id,
          })
        : outcome('avatar_video.fail', { video_id: job.id, ...failure, callback_id });
    case 'translation': {
      const output_language = requestField(job, 'output_language');
      const base = { video_translate_id: job.id, output_language, callback_id };
      return success
        ? outcome('video_translate.success', { ...base, url: job.video_url, duration })
        : outcome('video_translate.fail', { ...base, message: job.failure_message });
    }
    case 'proofread':
      return success
        ? outcome('proofread_creation.success', { proofread_id: job.id, callback_id })
        : outcome('proofread_creation.fail', { proofread_id: job.id, ...failure, callback_id });
    case 'agent_video': {
      const base = { session_id: job.parent_id, video_id: job.id, callback_id };
      return success
        ? outcome('video_agent.success', { ...base, url: job.video_url, duration })
        : outcome('video_agent.fail', { ...base, ...failure });
    }
    case 'lipsync':
      return success
        ? outcome('lipsync.success', {
            lipsync_id: job.id,
            url: job.video_url,
            duration,
            callback_id,
          })
        : outcome('lipsync.fail', { lipsync_id: job.id, ...failure, callback_id });
    case 'avatar_training':
      return avatarOutcome(job, success, failure);
    default:
      return null;
  }
}

const AVATAR_EVENTS: Record<string, [EventType, EventType]> = {
  photo: ['photo_avatar_train.success', 'photo_avatar_train.fail'],
  digital_twin: ['instant_avatar.success', 'instant_avatar.fail'],
  prompt: ['photo_avatar_generation.success', 'photo_avatar_generation.fail'],
};

function avatarOutcome(job: JobRow, success: boolean, failure: Record<string, unknown>) {
  const avatar_type = String((JSON.parse(job.usage_json) as { avatar_type?: unknown }).avatar_type);
  const [onSuccess, onFail] = AVATAR_EVENTS[avatar_type] ?? AVATAR_EVENTS.photo!;
  const base = { avatar_id: job.id, avatar_group_id: job.group_id, avatar_type };
  return success ? outcome(onSuccess, base) : outcome(onFail, { ...base, ...failure });
}

function outcome(type: EventType, event_data: Record<string, unknown>): Outcome {
  return { type, event_data };
}

function requestField(job: JobRow, name: string): unknown {
  const request = JSON.parse(job.request_json) as Record<string, unknown>;
  return request[name] ?? null;
}
