/**
 * HeyGen's cursor pagination: `limit` and an opaque `token` in, `has_more` and `next_token` out.
 * Tokens are keyset cursors (`created_at_ms` and `id` of the last item), base64url JSON, so pages
 * stay stable while new items arrive.
 */
import { Type } from 'typebox';
import { httpError } from './errors.ts';

export type PageCursor = { created_at_ms: bigint; id: string };

export function pageQuerySchema(limit_default: number, limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: limit_default }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  });
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([String(cursor.created_at_ms), cursor.id])).toString(
    'base64url',
  );
}

export function decodePageToken(token: string | undefined): PageCursor | null {
  if (token === undefined) return null;
  try {
    const [created, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof created === 'string' && /^\d{1,16}$/.test(created) && typeof id === 'string') {
      return { created_at_ms: BigInt(created), id };
    }
  } catch {
    // fall through to the error below
  }
  throw httpError('invalid_parameter', 'Invalid pagination token.', { param: 'token' });
}

/** Given `limit + 1` rows fetched, the page to return and the token for the next one. */
export function toPage<T extends PageCursor>(rows: T[], limit: number) {
  const has_more = rows.length > limit;
  const items = has_more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, has_more, next_token: has_more && last ? encodePageToken(last) : null };
}
