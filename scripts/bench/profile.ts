/**
 * `BENCH_PROFILE=1`: where Tollgate's SQLite time goes, measured from outside the ledger. It wraps
 * better-sqlite3's `prepare` and the `run`/`all` of every statement it returns, and sums the time
 * per statement kind (`commit`, `insert into "ledger_transfers"`, …) while a phase is measured.
 * better-sqlite3 is synchronous, so this is the time the event loop spent inside SQLite (a commit
 * includes its fsync); the rest of the wall time is JavaScript: Kysely, the ledger, the committer.
 */
import SQLite from 'better-sqlite3';
import { progress } from './workload.ts';

type Entry = { call_count: number; elapsed_ms: number; parameter_count: number };
type Method = (...args: unknown[]) => unknown;
type Statement = Record<'run' | 'all', Method>;

const entries = new Map<string, Entry>();
let recording = false;

/** A short name for a statement: its verb and table, e.g. `select "ledger_accounts"`. */
function kindOf(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().toLowerCase();
  const table = words.match(/(?:from|into|update) ("?[a-z_]+"?)/)?.[1] ?? '';
  const verb = words.split(' ')[0] ?? '';
  const upsert = words.includes('on conflict') ? ' (upsert)' : '';
  return `${verb} ${table}${upsert}`.trim();
}

function add(kind: string, elapsed_ms: number, parameter_count: number): void {
  if (!recording) return;
  const entry = entries.get(kind) ?? { call_count: 0, elapsed_ms: 0, parameter_count: 0 };
  entry.call_count++;
  entry.elapsed_ms += elapsed_ms;
  entry.parameter_count += parameter_count;
  entries.set(kind, entry);
}

function timed(kind: string, method: Method): Method {
  return (...args) => {
    const started_ms = performance.now();
    const result = method(...args);
    add(
      kind,
      performance.now() - started_ms,
      Array.isArray(args[0]) ? args[0].length : args.length,
    );
    return result;
  };
}

/** Wraps better-sqlite3 once, before any database is opened. Records nothing until started. */
export function installSqliteProfiler(): void {
  const prototype = SQLite.prototype as unknown as { prepare: (text: string) => Statement };
  const prepare = prototype.prepare;
  prototype.prepare = function (this: unknown, text: string): Statement {
    const started_ms = performance.now();
    const statement = prepare.call(this, text);
    add('(prepare)', performance.now() - started_ms, 0);
    const kind = kindOf(text);
    statement.run = timed(kind, statement.run.bind(statement));
    statement.all = timed(kind, statement.all.bind(statement));
    return statement;
  };
}

/** Records while `fn` runs, then prints the breakdown against its wall time to stderr. */
export async function profileSqlite<T>(name: string, fn: () => Promise<T>): Promise<T> {
  entries.clear();
  recording = true;
  const started_ms = performance.now();
  try {
    return await fn();
  } finally {
    recording = false;
    printProfile(name, performance.now() - started_ms);
  }
}

function printProfile(name: string, wall_ms: number): void {
  const sorted = [...entries].sort((a, b) => b[1].elapsed_ms - a[1].elapsed_ms);
  const inSqlite_ms = sorted.reduce((sum, [, entry]) => sum + entry.elapsed_ms, 0);
  const commitCount = entries.get('commit')?.call_count ?? 0;
  progress(`profile of ${name}: wall ${wall_ms.toFixed(0)} ms, ${commitCount} commits`);
  for (const [kind, entry] of sorted) {
    const share = ((entry.elapsed_ms / wall_ms) * 100).toFixed(1);
    const average_ms = (entry.elapsed_ms / entry.call_count).toFixed(3);
    const parameters = Math.round(entry.parameter_count / entry.call_count);
    progress(
      `  ${kind.padEnd(38)} ${String(entry.call_count).padStart(8)} calls ${share.padStart(5)}%` +
        `  ${average_ms} ms/call  ${parameters} params/call`,
    );
  }
  const outside = (((wall_ms - inSqlite_ms) / wall_ms) * 100).toFixed(1);
  progress(
    `  ${'(outside SQLite: JavaScript)'.padEnd(38)} ${''.padStart(14)} ${outside.padStart(5)}%`,
  );
}
