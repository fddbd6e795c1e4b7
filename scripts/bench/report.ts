/**
 * The benchmark's output: a readable table of phases and ratios on stdout, then exactly one JSON
 * object as the last line, for scripts that compare runs. The production units (d) are the
 * headline; the merged-transfer phase (b) is labelled as the ceiling of the merged path, which no
 * request uses today.
 */
import { PHASES } from './phases.ts';
import type { Measurement } from './workload.ts';

export type Results = {
  sqlite: { units: Measurement; naive: Measurement; tollgate: Measurement; ceiling: Measurement };
  postgres: { units: Measurement; naive: Measurement; tollgate: Measurement };
};

type Ratio = { name: string; value: number; target_min: number | null };

const NAME_WIDTH = 40;

function row(cells: string[]): string {
  const widths = [NAME_WIDTH, 11, 9, 13];
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd : cell.padStart).call(cell, widths[index]!))
    .join('  ');
}

function phaseRow(name: string, m: Measurement): string {
  const seconds = (m.elapsed_ms / 1000).toFixed(2);
  const rate = Math.round(m.transfers_per_s).toLocaleString('en-US');
  return row([name, m.transfer_count.toLocaleString('en-US'), seconds, rate]);
}

function ratioRow(ratio: Ratio): string {
  const head = `${ratio.name.padEnd(NAME_WIDTH)}  ${`${ratio.value.toFixed(2)}×`.padStart(8)}`;
  if (ratio.target_min === null) return `${head}   (reference)`;
  const verdict = ratio.value >= ratio.target_min ? 'met' : 'MISSED';
  return `${head}   target ≥ ${ratio.target_min}×  ${verdict}`;
}

export function ratiosOf(results: Results): Ratio[] {
  const { sqlite, postgres } = results;
  return [
    {
      name: 'SQLite d/a: production units / naive',
      value: sqlite.units.transfers_per_s / sqlite.naive.transfers_per_s,
      target_min: null,
    },
    {
      name: 'SQLite d/b: production units / merged',
      value: sqlite.units.transfers_per_s / sqlite.tollgate.transfers_per_s,
      target_min: null,
    },
    {
      name: 'PostgreSQL: production units / naive',
      value: postgres.units.transfers_per_s / postgres.naive.transfers_per_s,
      target_min: null,
    },
    {
      name: 'SQLite b/a: merged / naive',
      value: sqlite.tollgate.transfers_per_s / sqlite.naive.transfers_per_s,
      target_min: 30,
    },
    {
      name: 'SQLite b/c: merged / ceiling',
      value: sqlite.tollgate.transfers_per_s / sqlite.ceiling.transfers_per_s,
      target_min: 0.25,
    },
    {
      name: 'SQLite c/a: ceiling / naive',
      value: sqlite.ceiling.transfers_per_s / sqlite.naive.transfers_per_s,
      target_min: null,
    },
    {
      name: 'PostgreSQL: merged / naive',
      value: postgres.tollgate.transfers_per_s / postgres.naive.transfers_per_s,
      target_min: 5,
    },
  ];
}

export function renderTable(results: Results): string {
  const { sqlite, postgres } = results;
  return [
    row(['phase', 'transfers', 'seconds', 'transfers/s']),
    row(['-'.repeat(NAME_WIDTH), '-'.repeat(11), '-'.repeat(9), '-'.repeat(13)]),
    phaseRow(PHASES.sqlite_units.name, sqlite.units),
    phaseRow(PHASES.sqlite_naive.name, sqlite.naive),
    phaseRow(PHASES.sqlite_tollgate.name, sqlite.tollgate),
    phaseRow(PHASES.sqlite_ceiling.name, sqlite.ceiling),
    phaseRow(PHASES.postgres_units.name, postgres.units),
    phaseRow(PHASES.postgres_naive.name, postgres.naive),
    phaseRow(PHASES.postgres_tollgate.name, postgres.tollgate),
    '',
    ...ratiosOf(results).map(ratioRow),
  ].join('\n');
}

export function renderJson(results: Results): string {
  const tps = (m: Measurement) => Math.round(m.transfers_per_s);
  return JSON.stringify({
    sqlite: {
      units_tps: tps(results.sqlite.units),
      naive_tps: tps(results.sqlite.naive),
      tollgate_tps: tps(results.sqlite.tollgate),
      ceiling_tps: tps(results.sqlite.ceiling),
    },
    postgres: {
      units_tps: tps(results.postgres.units),
      naive_tps: tps(results.postgres.naive),
      tollgate_tps: tps(results.postgres.tollgate),
    },
  });
}
