/**
 * An account's own avatar looks. Each is an `avatar_training` job: the look id is the job id, its
 * training status is the job's (shown in HeyGen's words: `processing`, `completed`, `failed`),
 * its avatar type is the job's (`prompt` avatars are photo avatars) and its group is
 * `jobs.group_id`. A look belongs to its account only: every read is scoped to the account, so
 * another account's look is simply not found. A deleted look is gone; a group exists while any
 * of its looks does. Reads only: creating a look is admission (`create.ts`), deleting one is
 * `jobs/cancel.ts`.
 */
import type { Kysely } from 'kysely';
import { type AvatarLook, LOOK_ENGINES, type LookStatus } from '../catalog/looks.ts';
import type { DB } from '../db/database.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { assert } from '../shared/assert.ts';

export const AVATAR_TRAINING_KIND = 'avatar_training';
/** Look ids are `look_…`; a new look's own group is `group_…` with the same body. */
export const LOOK_ID_PREFIX = 'look';
const GROUP_ID_PREFIX = 'group';

export type AvatarRequestType = 'photo' | 'digital_twin' | 'prompt';
export type CreatedLookType = 'photo_avatar' | 'digital_twin';

/** The look type (and rate card row) of an avatar request: a prompt avatar is a photo avatar. */
export function lookTypeOf(type: AvatarRequestType): CreatedLookType {
  return type === 'digital_twin' ? 'digital_twin' : 'photo_avatar';
}

/** The id of the group a new look founds when it joins none. */
export function newGroupIdFor(look_id: string): string {
  assert(look_id.startsWith(`${LOOK_ID_PREFIX}_`), `look id ${look_id} has the look prefix`);
  return `${GROUP_ID_PREFIX}_${look_id.slice(LOOK_ID_PREFIX.length + 1)}`;
}

const LOOK_STATUSES: Record<string, LookStatus> = {
  // HeyGen shows a look waiting for training as `processing`.
  pending: 'processing',
  processing: 'processing',
  completed: 'completed',
  failed: 'failed',
  // A cancelled look is always deleted, so it is never shown.
  cancelled: 'failed',
};

/** An `avatar_training` job as HeyGen's AvatarLook, with its training status. */
export function toAccountLook(job: JobRow): AvatarLook {
  assert(job.kind === AVATAR_TRAINING_KIND, `job ${job.id} is an avatar look`);
  assert(job.group_id !== null, `look ${job.id} has a group`);
  const request = JSON.parse(job.request_json) as { type: AvatarRequestType; name: string };
  const avatar_type = lookTypeOf(request.type);
  const status = LOOK_STATUSES[job.status];
  assert(status !== undefined, `look ${job.id}: status ${job.status} has a look status`);
  return {
    id: job.id,
    name: job.title ?? request.name,
    avatar_type,
    group_id: job.group_id,
    default_voice_id: null,
    gender: null,
    preview_image_url: status === 'completed' ? job.thumbnail_url : null,
    preview_video_url: null,
    preferred_orientation: avatar_type === 'photo_avatar' ? 'portrait' : 'landscape',
    image_width: null,
    image_height: null,
    status,
    supported_api_engines: LOOK_ENGINES[avatar_type],
    tags: ['private', avatar_type],
    error:
      status === 'failed'
        ? {
            code: job.failure_code ?? 'training_failed',
            message: job.failure_message ?? 'Training failed.',
          }
        : null,
  };
}

function accountLooks(db: Kysely<DB>, account_id: string) {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', account_id)
    .where('kind', '=', AVATAR_TRAINING_KIND)
    .where('deleted_at_ms', 'is', null);
}

/** The account's look `look_id`, or null (also for another account's or a deleted look). */
export async function findAccountLook(
  db: Kysely<DB>,
  request: { account_id: string; look_id: string },
): Promise<AvatarLook | null> {
  const row = await accountLooks(db, request.account_id)
    .where('id', '=', request.look_id)
    .executeTakeFirst();
  return row === undefined ? null : toAccountLook(row);
}

/** The account's looks among `look_ids` (at most a request's few), by id. */
export async function findAccountLooks(
  db: Kysely<DB>,
  request: { account_id: string; look_ids: readonly string[] },
): Promise<Map<string, AvatarLook>> {
  if (request.look_ids.length === 0) return new Map();
  const rows = await accountLooks(db, request.account_id)
    .where('id', 'in', request.look_ids)
    .execute();
  return new Map(rows.map((row) => [row.id, toAccountLook(row)]));
}

/** Whether the account has a group `group_id` (one of its looks is in it). */
export async function accountGroupExists(
  db: Kysely<DB>,
  request: { account_id: string; group_id: string },
): Promise<boolean> {
  const row = await accountLooks(db, request.account_id)
    .where('group_id', '=', request.group_id)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

export type AccountLookPage = {
  account_id: string;
  avatar_type: string | null;
  group_id: string | null;
  /** Looks after this id (ids order the account's looks). */
  after_id: string | null;
  limit: number;
};

/** One page of the account's looks in id order, as `limit + 1` looks (another page follows?). */
export async function listAccountLooks(
  db: Kysely<DB>,
  page: AccountLookPage,
): Promise<AvatarLook[]> {
  assert(page.limit >= 1, 'a page holds at least one look');
  let query = accountLooks(db, page.account_id);
  // The rate card row names the look type: `avatar_creation.photo_avatar`, ….
  if (page.avatar_type !== null)
    query = query.where('sku', '=', `avatar_creation.${page.avatar_type}`);
  if (page.group_id !== null) query = query.where('group_id', '=', page.group_id);
  if (page.after_id !== null) query = query.where('id', '>', page.after_id);
  const rows = await query
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toAccountLook);
}
