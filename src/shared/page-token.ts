/**
 * Keyset page tokens: the `created_at_ms` and `id` of a page's last item, as base64url JSON. The
 * HTTP edge and the CLI hand them to clients as opaque strings (HeyGen's `next_token`).
 */

export type PageCursor = { created_at_ms: bigint; id: string };

/** Ids are at most 128 characters of printable text; a token naming anything else is not ours. */
const CURSOR_ID_CHARS_MAX = 128;

function isCursorId(id: string): boolean {
  if (id.length === 0 || id.length > CURSOR_ID_CHARS_MAX) return false;
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) < 0x20) return false;
  return true;
}

export function encodePageCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([String(cursor.created_at_ms), cursor.id])).toString(
    'base64url',
  );
}

/**
 * The cursor in `token`, or `null` when the token is not one this module made (including one whose
 * id could not be an id: empty, over 128 characters, or with control characters such as NUL, which
 * PostgreSQL refuses in text).
 */
export function decodePageCursor(token: string): PageCursor | null {
  try {
    const [created, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof created === 'string' &&
      /^\d{1,16}$/.test(created) &&
      typeof id === 'string' &&
      isCursorId(id)
    ) {
      return { created_at_ms: BigInt(created), id };
    }
  } catch {
    // not JSON: fall through
  }
  return null;
}

/** Given `limit + 1` items fetched, the page to return and the token for the next one. */
export function toPage<T extends PageCursor>(rows: T[], limit: number) {
  const has_more = rows.length > limit;
  const items = has_more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, has_more, next_token: has_more && last ? encodePageCursor(last) : null };
}
