/**
 * Statements built once and run many times. Building a query with Kysely (creating and freezing
 * its nodes, then compiling them to SQL) costs 50–200 µs of CPU per statement, more than SQLite
 * takes to run a small one; the request path runs a dozen per admission. A `PreparedQuery` builds
 * its query once per dialect with named placeholders, keeps the compiled SQL and the position of
 * each placeholder among the parameters, and afterwards only puts the values in place. The query
 * node is kept, so the SQLite driver still routes a plain `SELECT` to the read connection.
 *
 * A placeholder stands for one bound value (`p.account_id`). `whereIdIn`'s list is one bound
 * value too (`p.ids` passed as the list): on SQLite its JSON text is produced from the list at
 * each run. Values are bound as given: convert them as Kysely would not (none of Tollgate's
 * column types needs it). A query whose SHAPE depends on its values (an optional clause, a list spliced into
 * the SQL) must not be prepared: build it each time.
 */
import { type Compilable, type CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import { assert } from '../shared/assert.ts';
import type { Dialect } from './connect.ts';
import type { DB } from './database.ts';

const MARK = '\u0000tollgate:';

type Slot = { name: string; json: boolean } | { value: unknown };
type Built = { query: CompiledQuery; slots: Slot[] };

export type PreparedQuery<P, R> = {
  /** Runs the statement with `params` on `db` (a transaction or not). */
  execute: (db: Kysely<DB>, params: P) => Promise<R[]>;
  /** The first row, or `undefined`. */
  first: (db: Kysely<DB>, params: P) => Promise<R | undefined>;
};

/**
 * `build` receives the dialect and placeholders for the parameters (typed as their values), and
 * returns the query; it is called once per dialect.
 */
export function prepareQuery<P extends Record<string, unknown>, R>(
  build: (db: Kysely<DB>, dialect: Dialect, p: P) => Compilable<R>,
): PreparedQuery<P, R> {
  const built = new Map<Dialect, Built>();
  const execute = async (db: Kysely<DB>, params: P): Promise<R[]> => {
    const dialect = dialectOf(db);
    let entry = built.get(dialect);
    if (entry === undefined) {
      entry = buildOnce(build(db, dialect, placeholders<P>()).compile());
      built.set(dialect, entry);
    }
    const parameters = entry.slots.map((slot) => {
      if ('value' in slot) return slot.value;
      const value = params[slot.name];
      return slot.json ? JSON.stringify(value) : value;
    });
    const result = await db.executeQuery<R>({ ...entry.query, parameters });
    return result.rows;
  };
  return {
    execute,
    first: async (db, params) => (await execute(db, params))[0],
  };
}

function dialectOf(db: Kysely<DB>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Placeholders: `p.name` is a marked string, whatever the parameter's type. */
function placeholders<P>(): P {
  return new Proxy({}, { get: (_, name) => `${MARK}${String(name)}` }) as P;
}

function buildOnce(query: CompiledQuery): Built {
  const slots = query.parameters.map((value): Slot => {
    if (typeof value !== 'string' || !value.includes('tollgate:')) return { value };
    if (value.startsWith(MARK)) return { name: value.slice(MARK.length), json: false };
    // `whereIdIn` on SQLite bound the list's JSON text: here, the JSON of the mark itself.
    const mark = JSON.parse(value) as unknown;
    assert(typeof mark === 'string' && mark.startsWith(MARK), `a placeholder is bound whole`);
    return { name: mark.slice(MARK.length), json: true };
  });
  return { query, slots };
}
