/**
 * Keyset pagination, newest first: the rows strictly after a cursor in `(created_at_ms, id)`
 * descending order. One condition for every list, so pages stay stable while rows arrive.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { PageCursor } from '../shared/page-token.ts';

/** `table` qualifies the columns when the query joins (e.g. `'t'` for `t.created_at_ms`). */
export function olderThanCursor(cursor: PageCursor, table?: string): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(table === undefined ? name : `${table}.${name}`);
  const created = column('created_at_ms');
  return sql<SqlBool>`(${created} < ${cursor.created_at_ms} or (${created} = ${cursor.created_at_ms} and ${column('id')} < ${cursor.id}))`;
}
