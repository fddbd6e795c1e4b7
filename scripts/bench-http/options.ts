/**
 * The command line of `npm run bench:http`, parsed once and bounded: phase length, warm-up,
 * connections, accounts, which databases and which requests run, the simulator's latency, the
 * gateway's log level (production's default `info`) and an optional CPU profile directory.
 */
import { parseArgs } from 'node:util';
import type { RequestKind } from './load.ts';

export type Database = 'sqlite' | 'postgres';

export type Options = {
  duration_s: number;
  warmup_s: number;
  connections: number;
  account_count: number;
  databases: Database[];
  kinds: Exclude<RequestKind, 'hello'>[];
  /** How long the simulator takes per job; the worker settles jobs this long after admission. */
  simulator_latency_ms: number;
  log_level: string;
  cpu_prof_dir: string | null;
};

const DATABASES: readonly Database[] = ['sqlite', 'postgres'];
const KINDS: readonly Options['kinds'][number][] = ['users_me', 'videos', 'videos_idem'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const USAGE = `usage: npm run bench:http -- [--duration-s 10] [--warmup-s 2] [--connections 64]
  [--accounts 100] [--only sqlite|postgres] [--requests users_me,videos,videos_idem]
  [--simulator-latency-ms 200] [--log-level info] [--cpu-prof-dir DIR]`;

function wholeNumber(name: string, text: string | undefined, fallback: number, range: number[]) {
  const value = text === undefined ? fallback : Number(text);
  const [min, max] = range as [number, number];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function listOf<T extends string>(name: string, text: string | undefined, all: readonly T[]): T[] {
  if (text === undefined) return [...all];
  const items = text.split(',');
  const unknown = items.find((item) => !(all as readonly string[]).includes(item));
  if (unknown !== undefined) throw new Error(`--${name}: "${unknown}" is not one of ${all}`);
  return all.filter((item) => items.includes(item));
}

export function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      'duration-s': { type: 'string' },
      'warmup-s': { type: 'string' },
      connections: { type: 'string' },
      accounts: { type: 'string' },
      only: { type: 'string' },
      requests: { type: 'string' },
      'simulator-latency-ms': { type: 'string' },
      'log-level': { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
    },
  });
  const log_level = values['log-level'] ?? 'info';
  if (!LOG_LEVELS.includes(log_level)) throw new Error(`--log-level must be one of ${LOG_LEVELS}`);
  return {
    duration_s: wholeNumber('duration-s', values['duration-s'], 10, [1, 600]),
    warmup_s: wholeNumber('warmup-s', values['warmup-s'], 2, [0, 60]),
    connections: wholeNumber('connections', values.connections, 64, [2, 1_024]),
    account_count: wholeNumber('accounts', values.accounts, 100, [1, 10_000]),
    databases: listOf('only', values.only, DATABASES),
    kinds: listOf('requests', values.requests, KINDS),
    simulator_latency_ms: wholeNumber(
      'simulator-latency-ms',
      values['simulator-latency-ms'],
      200,
      [0, 600_000],
    ),
    log_level,
    cpu_prof_dir: values['cpu-prof-dir'] ?? null,
  };
}
