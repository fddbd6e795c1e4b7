import { describe, expect, it } from 'vitest';
import {
  decodeOwnedCursor,
  encodeOwnedCursor,
  type OwnedCursor,
  type OwnedSource,
  pageAcross,
} from './pages.ts';

const items = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({ id: `${prefix}${index}` }));

function source(
  ownership: 'public' | 'private',
  all: { id: string }[],
): OwnedSource<{ id: string }> {
  return {
    ownership,
    fetch: (after_id, limit) => {
      const from = after_id === null ? 0 : all.findIndex((item) => item.id === after_id) + 1;
      return all.slice(from, from + limit + 1);
    },
  };
}

async function pageAll(sources: OwnedSource<{ id: string }>[], limit: number) {
  const seen: string[] = [];
  let after: OwnedCursor | null = null;
  for (let page = 0; page < 50; page++) {
    const result = await pageAcross(sources, { after, limit });
    seen.push(...result.items.map((item) => item.id));
    expect(result.items.length).toBeLessThanOrEqual(limit);
    if (result.next === null) return seen;
    expect(result.items).toHaveLength(limit);
    after = decodeOwnedCursor(encodeOwnedCursor(result.next));
  }
  throw new Error('paging did not end');
}

describe('pages across the public catalog and the account’s items', () => {
  it.each([1, 2, 3, 4, 5, 9, 10, 20])(
    'pages of %i list every public item, then every private one, exactly once',
    async (limit) => {
      const pub = items('a', 4);
      const own = items('b', 5);
      const seen = await pageAll([source('public', pub), source('private', own)], limit);
      expect(seen).toEqual([...pub, ...own].map((item) => item.id));
    },
  );

  it('an empty source is skipped, and a full page followed by nothing has no next page', async () => {
    expect(await pageAll([source('public', items('a', 3)), source('private', [])], 3)).toEqual([
      'a0',
      'a1',
      'a2',
    ]);
    expect(await pageAll([source('public', []), source('private', items('b', 2))], 1)).toEqual([
      'b0',
      'b1',
    ]);
  });

  it('a cursor of a left-out source resumes at the next source, or ends the listing', async () => {
    const privateOnly = [source('private', items('b', 2))];
    const fromPublic = await pageAcross(privateOnly, {
      after: { ownership: 'public', id: 'a1' },
      limit: 5,
    });
    expect(fromPublic.items.map((item) => item.id)).toEqual(['b0', 'b1']);
    const publicOnly = [source('public', items('a', 2))];
    const fromPrivate = await pageAcross(publicOnly, {
      after: { ownership: 'private', id: 'b0' },
      limit: 5,
    });
    expect(fromPrivate).toEqual({ items: [], next: null });
  });

  it('decodes only tokens it made', () => {
    expect(decodeOwnedCursor(encodeOwnedCursor({ ownership: 'private', id: 'look_x' }))).toEqual({
      ownership: 'private',
      id: 'look_x',
    });
    for (const token of ['bm9wZQ', '', Buffer.from('["mine","x"]').toString('base64url')]) {
      expect(decodeOwnedCursor(token)).toBeNull();
    }
  });
});
