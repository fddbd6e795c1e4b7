/**
 * HeyGen's cursor pagination: `limit` and an opaque `token` in, `has_more` and `next_token` out.
 * Tokens are keyset cursors (`created_at_ms` and `id` of the last item, see
 * `shared/page-token.ts`), so pages stay stable while new items arrive.
 */
import { Type } from 'typebox';
import { decodePageCursor, type PageCursor, toPage } from '../shared/page-token.ts';
import { httpError } from './errors.ts';

export type { PageCursor } from '../shared/page-token.ts';

export function pageQuerySchema(limit_default: number, limit_max: number) {
  return Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: limit_max, default: limit_default }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  });
}

export function decodePageToken(token: string | undefined): PageCursor | null {
  if (token === undefined) return null;
  const cursor = decodePageCursor(token);
  if (cursor === null) {
    throw httpError('invalid_parameter', 'Invalid pagination token.', { param: 'token' });
  }
  return cursor;
}

/**
 * HeyGen's list envelope `{ data, has_more, next_token }` for rows fetched with `limit + 1` (the
 * extra row only says that another page follows), each item rendered by `render`.
 */
export function renderPage<Row extends { created_at_ms: bigint; id: string }, Item>(
  rows: Row[],
  limit: number,
  render: (row: Row) => Item,
): { data: Item[]; has_more: boolean; next_token: string | null } {
  const page = toPage(rows, limit);
  return { data: page.items.map(render), has_more: page.has_more, next_token: page.next_token };
}
