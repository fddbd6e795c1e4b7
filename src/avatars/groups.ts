/**
 * Avatar groups (HeyGen's "characters"): a group gathers looks of one identity. Each demo look is
 * its own public group; an account's groups are the groups of its live looks (`looks.ts`), so a
 * group ends with its last look. Groups are shown in HeyGen's `avatar_group` shape; a private
 * group's status summarises its looks' training: any still training → `processing`, else any
 * completed → `completed`, else `failed`.
 */
import type { Kysely } from 'kysely';
import { type AvatarLook, DEMO_LOOKS, type LookStatus } from '../catalog/looks.ts';
import type { DB } from '../db/database.ts';
import { assert } from '../shared/assert.ts';
import { AVATAR_TRAINING_KIND, toAccountLook } from './looks.ts';

export type AvatarGroup = {
  id: string;
  name: string;
  /** Unix seconds. */
  created_at: number;
  looks_count: number;
  consent_status: null;
  status: LookStatus | null;
  default_voice_id: string | null;
  gender: 'female' | 'male' | null;
  preview_image_url: string | null;
  preview_video_url: string | null;
  error: null;
};

/** A public demo look's group (the look is its only member). */
export function demoGroupOf(look: AvatarLook): AvatarGroup {
  return {
    id: look.group_id,
    name: look.name,
    created_at: 0,
    looks_count: 1,
    consent_status: null,
    status: null,
    default_voice_id: look.default_voice_id,
    gender: look.gender,
    preview_image_url: look.preview_image_url,
    preview_video_url: look.preview_video_url,
    error: null,
  };
}

export const DEMO_GROUPS: readonly AvatarGroup[] = Object.freeze(DEMO_LOOKS.map(demoGroupOf));

/**
 * The account's group `group_id` as its live looks make it (named after its earliest look), or
 * null when it has none: another account's group, or one whose last look was deleted.
 */
export async function findAccountGroup(
  db: Kysely<DB>,
  request: { account_id: string; group_id: string },
): Promise<AvatarGroup | null> {
  const looks = db
    .selectFrom('jobs')
    .where('account_id', '=', request.account_id)
    .where('kind', '=', AVATAR_TRAINING_KIND)
    .where('group_id', '=', request.group_id)
    .where('deleted_at_ms', 'is', null);
  const counts = await looks
    .select(['status', (eb) => eb.fn.countAll<bigint>().as('count')])
    .groupBy('status')
    .execute();
  const first = await looks
    .selectAll()
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (first === undefined) return null;
  const preview = await looks
    .select('thumbnail_url')
    .where('status', '=', 'completed')
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const count = (status: string) => Number(counts.find((row) => row.status === status)?.count ?? 0);
  const look = toAccountLook(first);
  return {
    id: request.group_id,
    name: look.name,
    created_at: Number(first.created_at_ms / 1000n),
    looks_count: counts.reduce((sum, row) => sum + Number(row.count), 0),
    consent_status: null,
    status:
      count('pending') + count('processing') > 0
        ? 'processing'
        : count('completed') > 0
          ? 'completed'
          : 'failed',
    default_voice_id: null,
    gender: null,
    preview_image_url: preview?.thumbnail_url ?? null,
    preview_video_url: null,
    error: null,
  };
}

/**
 * One page of the account's groups in id order, as `limit + 1` group ids (another page
 * follows?). Each id is of a group with at least one live look.
 */
export async function listAccountGroupIds(
  db: Kysely<DB>,
  page: { account_id: string; after_id: string | null; limit: number },
): Promise<string[]> {
  assert(page.limit >= 1, 'a page holds at least one group');
  let query = db
    .selectFrom('jobs')
    .select('group_id')
    .distinct()
    .where('account_id', '=', page.account_id)
    .where('kind', '=', AVATAR_TRAINING_KIND)
    .where('deleted_at_ms', 'is', null)
    .where('group_id', 'is not', null);
  if (page.after_id !== null) query = query.where('group_id', '>', page.after_id);
  const rows = await query
    .orderBy('group_id')
    .limit(page.limit + 1)
    .execute();
  return rows.map((row) => {
    assert(row.group_id !== null, 'a listed group has an id');
    return row.group_id;
  });
}
