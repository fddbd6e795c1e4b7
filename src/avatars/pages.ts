/**
 * Pages across the public catalog and the account's own items (looks, groups): public items
 * first, in catalog order, then the account's, in id order. A cursor names the source and the
 * last item's id, so pages stay stable while the account adds items. Each source returns up to
 * `limit + 1` items after an id, so the page knows whether another follows.
 */
import { assert } from '../shared/assert.ts';

export type Ownership = 'public' | 'private';
export type OwnedCursor = { ownership: Ownership; id: string };
/** The order of the sources: the public catalog first. */
const OWNERSHIP_ORDER: readonly Ownership[] = ['public', 'private'];

export type OwnedSource<T> = {
  ownership: Ownership;
  /** Up to `limit + 1` items after `after_id` (from the start when null). */
  fetch: (after_id: string | null, limit: number) => T[] | Promise<T[]>;
};

/** One page of at most `limit` items across `sources` (in order) after `after`. */
export async function pageAcross<T extends { id: string }>(
  sources: readonly OwnedSource<T>[],
  request: { after: OwnedCursor | null; limit: number },
): Promise<{ items: T[]; next: OwnedCursor | null }> {
  assert(request.limit >= 1, 'a page holds at least one item');
  const after = request.after;
  // A cursor of a source this listing leaves out (an ownership filter) resumes at the next one.
  const rank = (ownership: Ownership) => OWNERSHIP_ORDER.indexOf(ownership);
  const first =
    after === null
      ? 0
      : sources.findIndex((source) => rank(source.ownership) >= rank(after.ownership));
  if (first === -1) return { items: [], next: null };
  const items: T[] = [];
  for (let index = first; index < sources.length; index++) {
    const source = sources[index]!;
    const remaining = request.limit - items.length;
    if (remaining === 0) {
      // The page is full: another follows if this source has anything at all.
      const peek = await source.fetch(null, 1);
      const last = { ownership: sources[index - 1]!.ownership, id: items[items.length - 1]!.id };
      return { items, next: peek.length > 0 ? last : null };
    }
    const after_id = after !== null && source.ownership === after.ownership ? after.id : null;
    const rows = await source.fetch(after_id, remaining);
    items.push(...rows.slice(0, remaining));
    if (rows.length > remaining) {
      return { items, next: { ownership: source.ownership, id: items[items.length - 1]!.id } };
    }
  }
  return { items, next: null };
}

/** A cursor as an opaque page token. */
export function encodeOwnedCursor(cursor: OwnedCursor): string {
  return Buffer.from(JSON.stringify([cursor.ownership, cursor.id])).toString('base64url');
}

/** The cursor in `token`, or null when the token is not one this module made. */
export function decodeOwnedCursor(token: string): OwnedCursor | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [ownership, id] = parsed as unknown[];
    if ((ownership === 'public' || ownership === 'private') && typeof id === 'string') {
      return { ownership, id };
    }
  } catch {
    // not JSON: fall through
  }
  return null;
}
