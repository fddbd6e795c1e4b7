/**
 * What an account sees of avatars: the public demo catalog (`catalog/looks.ts`) and its own
 * trained looks and their groups (`looks.ts`, `groups.ts`), together. Public items come first,
 * then the account's; another account's items are never seen, so they are not found.
 */
import type { Kysely } from 'kysely';
import { type AvatarLook, type AvatarType, findLook, listLooks } from '../catalog/looks.ts';
import type { DB } from '../db/database.ts';
import { type AvatarGroup, DEMO_GROUPS, findAccountGroup, listAccountGroupIds } from './groups.ts';
import { findAccountLook, listAccountLooks } from './looks.ts';
import { type OwnedCursor, type OwnedSource, type Ownership, pageAcross } from './pages.ts';

export type LooksQuery = {
  account_id: string;
  avatar_type: AvatarType | null;
  group_id: string | null;
  ownership: Ownership | null;
  after: OwnedCursor | null;
  limit: number;
};

/** One page of the looks the account may use, and the cursor of the next page. */
export function listLooksFor(db: Kysely<DB>, query: LooksQuery) {
  const { account_id, avatar_type, group_id } = query;
  const sources: OwnedSource<AvatarLook>[] = [];
  if (query.ownership !== 'private') {
    sources.push({
      ownership: 'public',
      fetch: (after_id, limit) =>
        listLooks({ avatar_type, group_id, ownership: null, after_id, limit: limit + 1 }).looks,
    });
  }
  if (query.ownership !== 'public') {
    sources.push({
      ownership: 'private',
      fetch: (after_id, limit) =>
        listAccountLooks(db, { account_id, avatar_type, group_id, after_id, limit }),
    });
  }
  return pageAcross(sources, query);
}

/** A public look, or the account's own look with its status; null when neither. */
export async function findLookFor(
  db: Kysely<DB>,
  request: { account_id: string; look_id: string },
): Promise<AvatarLook | null> {
  return findLook(request.look_id) ?? (await findAccountLook(db, request));
}

/** One page of the avatar groups the account may use, and the cursor of the next page. */
export function listGroupsFor(
  db: Kysely<DB>,
  query: {
    account_id: string;
    ownership: Ownership | null;
    after: OwnedCursor | null;
    limit: number;
  },
) {
  const sources: OwnedSource<AvatarGroup>[] = [];
  if (query.ownership !== 'private') {
    sources.push({
      ownership: 'public',
      fetch: (after_id, limit) => {
        const from = after_id === null ? 0 : DEMO_GROUPS.findIndex((g) => g.id === after_id) + 1;
        return DEMO_GROUPS.slice(from, from + limit + 1);
      },
    });
  }
  if (query.ownership !== 'public') {
    sources.push({
      ownership: 'private',
      fetch: async (after_id, limit) => {
        const ids = await listAccountGroupIds(db, {
          account_id: query.account_id,
          after_id,
          limit,
        });
        const groups = await Promise.all(
          ids.map((group_id) => findAccountGroup(db, { account_id: query.account_id, group_id })),
        );
        // A group whose last look was deleted between the two reads is simply left out.
        return groups.filter((group): group is AvatarGroup => group !== null);
      },
    });
  }
  return pageAcross(sources, query);
}

/** Whether `cursor` names an item its source can continue after. */
export function isKnownCursor(cursor: OwnedCursor, kind: 'look' | 'group'): boolean {
  if (cursor.ownership === 'private') return cursor.id.length > 0 && cursor.id.length <= 128;
  return kind === 'look'
    ? findLook(cursor.id) !== null
    : DEMO_GROUPS.some((group) => group.id === cursor.id);
}
