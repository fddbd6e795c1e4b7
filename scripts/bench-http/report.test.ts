import { describe, expect, it } from 'vitest';
import { percentile } from './load.ts';
import { parseOptions } from './options.ts';
import type { PhaseResult } from './phases.ts';
import { type RunFacts, renderJson, renderTable, targetsOf } from './report.ts';

const FACTS: RunFacts = {
  date: '2026-12-01T00:00:00.000Z',
  machine: '2 × test CPU',
  load_average_before: [1, 1, 1],
  load_average_after: [2, 2, 2],
  options: {},
};

function phase(key: string, figures: Partial<PhaseResult> = {}): PhaseResult {
  return {
    key,
    name: key,
    kind: key === 'hello' ? 'hello' : (key.split('.')[1] as PhaseResult['kind']),
    node_count: 1,
    req_per_s: 1_000,
    p50_ms: 1,
    p99_ms: 5,
    response_count: 10_000,
    non_2xx_count: 0,
    server_5xx_count: 0,
    error_count: 0,
    timeout_count: 0,
    status_counts: { '200': 10_000 },
    nodes: [
      { name: 'n', ok_count: 10_000, cpu_ms: 1_000, cpu_ms_per_ok: 0.1, rss_peak_bytes: 1 << 27 },
    ],
    reconcile_ok: key === 'hello' ? null : true,
    failures: [],
    ...figures,
  };
}

function node(cpu_ms_per_ok: number) {
  return {
    name: 'n',
    ok_count: 100,
    cpu_ms: 100 * cpu_ms_per_ok,
    cpu_ms_per_ok,
    rss_peak_bytes: 1,
  };
}

function verdicts(phases: PhaseResult[]) {
  const map = new Map(phases.map((p) => [p.key, p]));
  return Object.fromEntries(targetsOf(map).map((t) => [t.name, t.verdict]));
}

describe('bench:http targets (issue 16, item 4)', () => {
  it('are met exactly at their bounds and missed just beyond them', () => {
    const met = verdicts([
      phase('hello', { req_per_s: 40_000 }),
      phase('sqlite.users_me', { req_per_s: 20_000 }),
      phase('sqlite.videos', { req_per_s: 10_000, p99_ms: 20 }),
      phase('postgres.videos', { req_per_s: 5_000, p99_ms: 50, nodes: [node(1)] }),
      phase('postgres_2.videos', { req_per_s: 5_000, nodes: [node(1.2), node(0.9)] }),
    ]);
    expect(Object.values(met)).toEqual(Array(7).fill('met'));
    const missed = verdicts([
      phase('hello', { req_per_s: 40_000 }),
      phase('sqlite.users_me', { req_per_s: 19_999 }),
      phase('sqlite.videos', { req_per_s: 9_999, p99_ms: 20.1 }),
      phase('postgres.videos', { req_per_s: 4_999, p99_ms: 50.1, nodes: [node(1)] }),
      phase('postgres_2.videos', { req_per_s: 4_998, nodes: [node(0.5), node(1.21)] }),
    ]);
    expect(Object.values(missed)).toEqual(Array(7).fill('missed'));
  });

  it('whose phases did not run are "not measured", never met', () => {
    const only = verdicts([phase('hello'), phase('sqlite.videos')]);
    expect(only['SQLite GET /v3/users/me ≥ 50% of hello world']).toBe('not measured');
    expect(only['PostgreSQL 2 nodes CPU per job ≤ 1.2× 1 node']).toBe('not measured');
    const notMeasured = Object.values(only).filter((verdict) => verdict === 'not measured');
    expect(notMeasured).toHaveLength(5);
  });
});

describe('bench:http output', () => {
  it('ends with one JSON line holding every phase, every target and ok', () => {
    const phases = new Map([
      ['hello', phase('hello')],
      ['sqlite.videos', phase('sqlite.videos')],
    ]);
    const lines = `${renderTable(phases, FACTS)}\n${renderJson(phases, FACTS)}`.split('\n');
    const parsed = JSON.parse(lines.at(-1)!);
    expect(parsed.ok).toBe(true);
    expect(Object.keys(parsed.phases)).toEqual(['hello', 'sqlite.videos']);
    expect(parsed.targets).toHaveLength(7);
    expect(parsed.load_average_before).toEqual([1, 1, 1]);
  });

  it('is not ok when a phase failed (a 5xx or a ledger that does not reconcile)', () => {
    const failed = phase('sqlite.videos', { reconcile_ok: false, failures: ['drift'] });
    const phases = new Map([['sqlite.videos', failed]]);
    const parsed = JSON.parse(renderJson(phases, FACTS));
    expect(parsed.ok).toBe(false);
    expect(parsed.failures).toEqual(['drift']);
    expect(renderTable(phases, FACTS)).toContain('DRIFT');
  });

  it('shows each phase as a share of the hello world', () => {
    const phases = new Map([
      ['hello', phase('hello', { req_per_s: 40_000 })],
      ['sqlite.users_me', phase('sqlite.users_me', { req_per_s: 10_000 })],
    ]);
    const usersRow = renderTable(phases, FACTS)
      .split('\n')
      .find((line) => line.startsWith('sqlite.users_me'));
    expect(usersRow).toContain(' 25.0 ');
  });

  it('shows the hello world CPU time per response as a share of the phase (over all nodes)', () => {
    const hello = phase('hello', { nodes: [node(0.05)] });
    const two = phase('postgres_2.videos', { nodes: [node(0.1), node(0.3)] });
    const phases = new Map([
      ['hello', hello],
      ['postgres_2.videos', two],
    ]);
    const parsed = JSON.parse(renderJson(phases, FACTS));
    expect(parsed.phases['postgres_2.videos'].cpu_of_hello_pct).toBeCloseTo(25);
    expect(parsed.phases.hello.cpu_of_hello_pct).toBeNull();
  });
});

describe('bench:http building blocks', () => {
  it('percentiles are nearest-rank over the sorted latencies', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('options default to 64 connections over 100 accounts, every database and request', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({ connections: 64, account_count: 100, duration_s: 10 });
    expect(options.databases).toEqual(['sqlite', 'postgres']);
    expect(parseOptions(['--only', 'sqlite']).databases).toEqual(['sqlite']);
  });

  it('options out of bounds are refused with the option named', () => {
    expect(() => parseOptions(['--duration-s', '0'])).toThrow(/--duration-s/);
    expect(() => parseOptions(['--only', 'mysql'])).toThrow(/--only/);
  });
});
