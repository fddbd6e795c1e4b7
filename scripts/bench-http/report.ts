/**
 * The run's output, pure functions of its figures: the table (req/s, p50, p99, non-2xx, 5xx,
 * share of the hello world, a PostgreSQL phase's share of the same requests on SQLite, peak resident
 * memory, CPU time per 2xx response per node and the hello world's CPU time per response as a
 * share of it, reconcile), the targets of issue 16 item 4 with
 * met/missed, and one JSON line with every figure. Targets whose phases did not run (`--only`)
 * are `not measured`, never met.
 */
import type { PhaseResult } from './phases.ts';

export type Verdict = 'met' | 'missed' | 'not measured';

export type Target = {
  name: string;
  /** The measured value in the target's unit, or null when a phase it needs did not run. */
  value: number | null;
  unit: '%' | 'ms' | '×';
  verdict: Verdict;
};

export type RunFacts = {
  date: string;
  machine: string;
  load_average_before: number[];
  load_average_after: number[];
  options: Record<string, unknown>;
};

type Phases = ReadonlyMap<string, PhaseResult>;

const MIB = 1024 * 1024;
/** Two nodes may spend at most this much more CPU per admitted job than one node. */
const CPU_PER_JOB_RATIO_MAX = 1.2;

function shareOf(phases: Phases, key: string, baseKey: string): number | null {
  const phase = phases.get(key);
  const base = phases.get(baseKey);
  if (phase === undefined || base === undefined || base.req_per_s === 0) return null;
  return (100 * phase.req_per_s) / base.req_per_s;
}

/** CPU time per 2xx response over all of the phase's nodes, or null without one. */
function cpuMsPerOk(phase: PhaseResult): number | null {
  const ok = phase.nodes.reduce((sum, node) => sum + node.ok_count, 0);
  const cpu = phase.nodes.reduce((sum, node) => sum + node.cpu_ms, 0);
  return ok === 0 ? null : cpu / ok;
}

/**
 * The ratios of one phase: its req/s as a share of the hello world's and (PostgreSQL) of the
 * same requests on SQLite, and the hello world's CPU time per response as a share of this
 * phase's. The last is what the server process itself costs per request, which a busy machine
 * disturbs far less than req/s (CPU time counts only while the process runs).
 */
export function sharesOf(phases: Phases, phase: PhaseResult) {
  const helloCpu = phases.get('hello') && cpuMsPerOk(phases.get('hello')!);
  const cpu = cpuMsPerOk(phase);
  return {
    of_hello_pct: phase.key === 'hello' ? null : shareOf(phases, phase.key, 'hello'),
    of_sqlite_pct: phase.key.startsWith('postgres')
      ? shareOf(phases, phase.key, `sqlite.${phase.kind}`)
      : null,
    cpu_of_hello_pct:
      phase.key === 'hello' || !helloCpu || cpu === null || cpu === 0
        ? null
        : (100 * helloCpu) / cpu,
  };
}

function target(name: string, value: number | null, unit: Target['unit'], ok: boolean): Target {
  return { name, value, unit, verdict: value === null ? 'not measured' : ok ? 'met' : 'missed' };
}

function atLeast(name: string, value: number | null, min: number, unit: Target['unit']): Target {
  return target(name, value, unit, value !== null && value >= min);
}

function atMost(name: string, value: number | null, max: number, unit: Target['unit']): Target {
  return target(name, value, unit, value !== null && value <= max);
}

/** The largest per-node CPU time per admitted job on two nodes, over the one-node figure. */
function cpuPerJobRatio(phases: Phases): number | null {
  const one = phases.get('postgres.videos')?.nodes[0]?.cpu_ms_per_ok ?? null;
  const two = phases.get('postgres_2.videos')?.nodes.map((node) => node.cpu_ms_per_ok) ?? [];
  if (one === null || one === 0 || two.length === 0 || two.some((v) => v === null)) return null;
  return Math.max(...(two as number[])) / one;
}

function throughputRatio(phases: Phases): number | null {
  const one = phases.get('postgres.videos');
  const two = phases.get('postgres_2.videos');
  if (one === undefined || two === undefined || one.req_per_s === 0) return null;
  return two.req_per_s / one.req_per_s;
}

/** Issue 16, item 4. */
export function targetsOf(phases: Phases): Target[] {
  const p99 = (key: string) => phases.get(key)?.p99_ms ?? null;
  return [
    atLeast(
      'SQLite POST /v3/videos ≥ 25% of hello world',
      shareOf(phases, 'sqlite.videos', 'hello'),
      25,
      '%',
    ),
    atMost('SQLite POST /v3/videos p99 ≤ 20 ms', p99('sqlite.videos'), 20, 'ms'),
    atLeast(
      'SQLite GET /v3/users/me ≥ 50% of hello world',
      shareOf(phases, 'sqlite.users_me', 'hello'),
      50,
      '%',
    ),
    atLeast(
      'PostgreSQL 1 node POST /v3/videos ≥ 50% of SQLite',
      shareOf(phases, 'postgres.videos', 'sqlite.videos'),
      50,
      '%',
    ),
    atMost('PostgreSQL 1 node POST /v3/videos p99 ≤ 50 ms', p99('postgres.videos'), 50, 'ms'),
    atLeast('PostgreSQL 2 nodes keep 1 node videos req/s', throughputRatio(phases), 1, '×'),
    atMost(
      'PostgreSQL 2 nodes CPU per job ≤ 1.2× 1 node',
      cpuPerJobRatio(phases),
      CPU_PER_JOB_RATIO_MAX,
      '×',
    ),
  ];
}

const COLUMNS: Array<[string, number]> = [
  ['phase', 44],
  ['req/s', 8],
  ['p50 ms', 7],
  ['p99 ms', 7],
  ['non-2xx', 7],
  ['5xx', 4],
  ['timeouts', 8],
  ['% hello', 7],
  ['% SQLite', 8],
  ['% hello CPU', 11],
  ['RSS MiB', 8],
  ['CPU ms/2xx', 12],
  ['reconcile', 9],
];

function row(cells: string[]): string {
  return cells
    .map((cell, index) => {
      const width = COLUMNS[index]![1];
      return index === 0 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(' ');
}

const fixed = (value: number | null, digits: number) =>
  value === null ? '' : value.toFixed(digits);

function phaseRow(phase: PhaseResult, phases: Phases): string {
  const shares = sharesOf(phases, phase);
  const rssPeak = Math.max(...phase.nodes.map((node) => node.rss_peak_bytes));
  const cpu = phase.nodes.map((node) => fixed(node.cpu_ms_per_ok, 2)).join('/');
  const reconcile = phase.reconcile_ok === null ? '' : phase.reconcile_ok ? 'clean' : 'DRIFT';
  return row([
    phase.name,
    Math.round(phase.req_per_s).toString(),
    fixed(phase.p50_ms, 1),
    fixed(phase.p99_ms, 1),
    String(phase.non_2xx_count),
    String(phase.server_5xx_count),
    String(phase.timeout_count),
    fixed(shares.of_hello_pct, 1),
    fixed(shares.of_sqlite_pct, 1),
    fixed(shares.cpu_of_hello_pct, 1),
    (rssPeak / MIB).toFixed(0),
    cpu,
    reconcile,
  ]);
}

function targetRow(t: Target): string {
  const value = t.value === null ? '—' : `${t.value.toFixed(t.unit === '×' ? 2 : 1)} ${t.unit}`;
  const verdict = t.verdict === 'missed' ? 'MISSED' : t.verdict;
  return `${t.name.padEnd(52)} ${value.padStart(10)}  ${verdict}`;
}

export function renderTable(phases: Phases, facts: RunFacts): string {
  const loads = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ');
  return [
    `${facts.date}, ${facts.machine}`,
    `load average before ${loads(facts.load_average_before)}, after ${loads(facts.load_average_after)}`,
    '',
    row(COLUMNS.map(([name]) => name)),
    row(COLUMNS.map(([, width]) => '-'.repeat(width))),
    ...[...phases.values()].map((phase) => phaseRow(phase, phases)),
    '',
    'targets (issue 16, item 4)',
    ...targetsOf(phases).map(targetRow),
  ].join('\n');
}

/** One line: every figure of the run, for scripts that compare runs. */
export function renderJson(phases: Phases, facts: RunFacts): string {
  const failures = [...phases.values()].flatMap((phase) => phase.failures);
  return JSON.stringify({
    ok: failures.length === 0,
    ...facts,
    phases: Object.fromEntries(
      [...phases].map(([key, phase]) => [key, { ...phase, ...sharesOf(phases, phase) }]),
    ),
    targets: targetsOf(phases),
    failures,
  });
}
