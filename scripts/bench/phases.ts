/**
 * The seven measured phases. Each one seeds a fresh database (the bench wallets; for the
 * production units, customer accounts made by the gateway's own functions), runs a warm-up, then
 * measures a fixed number of hold-then-settle pairs, and finally reconciles the ledger: a phase
 * whose ledger does not reconcile fails the whole benchmark, whatever its speed.
 */
import { join } from 'node:path';
import { type AppContext, closeContext } from '../../src/context.ts';
import { openPostgres, openSqlite } from '../../src/db/connect.ts';
import { openRawSqlite, runCeilingLoad } from './ceiling.ts';
import { runNaiveLoad } from './naive.ts';
import { profileSqlite } from './profile.ts';
import {
  createBenchContext,
  createPostgresDatabase,
  reconcileOrThrow,
  seedCustomers,
  seedLedger,
} from './setup.ts';
import { runTollgateLoad } from './tollgate.ts';
import { runUnitsLoad } from './units.ts';
import {
  type LoadOptions,
  type Measurement,
  measurePairs,
  progress,
  TRANSFERS_PER_PAIR,
} from './workload.ts';

/** Pairs measured, and pairs of warm-up run first on the same database and not measured. */
export type PhaseSize = { pair_count: number; warmup_pair_count: number };

type Phase = { name: string; caller_count: number; shard_count: number };

/** How each phase is run. SQLite has one writer, so its naive ledger has one caller. */
export const PHASES = {
  sqlite_units: {
    name: 'SQLite (d) tollgate, production units',
    caller_count: 1024,
    shard_count: 8,
  },
  sqlite_naive: { name: 'SQLite (a) naive, 1 tx per transfer', caller_count: 1, shard_count: 8 },
  sqlite_tollgate: {
    name: 'SQLite (b) tollgate, merged transfers',
    caller_count: 1024,
    shard_count: 8,
  },
  sqlite_ceiling: { name: 'SQLite (c) ceiling, raw batched SQL', caller_count: 1, shard_count: 8 },
  postgres_units: {
    name: 'PostgreSQL tollgate, production units',
    caller_count: 1024,
    shard_count: 8,
  },
  postgres_naive: { name: 'PostgreSQL naive, hot revenue row', caller_count: 32, shard_count: 1 },
  postgres_tollgate: {
    name: 'PostgreSQL tollgate, merged transfers',
    caller_count: 1024,
    shard_count: 8,
  },
} as const satisfies Record<string, Phase>;

type Load = (options: LoadOptions) => Promise<void> | void;

/** Warm-up, then the measured run; `measure` may wrap the measured run (e.g. to profile it). */
async function measureLoad(
  phase: Phase,
  size: PhaseSize,
  load: Load,
  measure: (fn: () => Promise<Measurement>) => Promise<Measurement> = (fn) => fn(),
): Promise<Measurement> {
  const transfers = size.pair_count * TRANSFERS_PER_PAIR;
  progress(`${phase.name}: warm-up ${size.warmup_pair_count} pairs, then ${transfers} transfers`);
  const base = { caller_count: phase.caller_count, shard_count: phase.shard_count };
  await load({ ...base, run_tag: 'warm', pair_count: size.warmup_pair_count });
  const m = await measure(() =>
    measurePairs(size.pair_count, () =>
      load({ ...base, run_tag: 'run', pair_count: size.pair_count }),
    ),
  );
  const seconds = (m.elapsed_ms / 1000).toFixed(1);
  progress(`${phase.name}: ${Math.round(m.transfers_per_s)} transfers/s (${seconds} s)`);
  return m;
}

/**
 * Seeds (by default the bench wallets and `phase.shard_count` revenue accounts), measures and
 * reconciles on a Tollgate context, and closes it whatever happens.
 */
async function measureOnContext(
  ctx: AppContext,
  phase: Phase,
  run: (ctx: AppContext) => Promise<Measurement>,
  seed: (ctx: AppContext) => Promise<void> = async (ctx) => {
    progress(`${phase.name}: seeding ${phase.shard_count} revenue account(s) and the wallets`);
    await seedLedger(ctx, phase.shard_count);
  },
): Promise<Measurement> {
  try {
    await seed(ctx);
    const m = await run(ctx);
    await reconcileOrThrow(ctx, phase.name);
    return m;
  } finally {
    await closeContext(ctx);
  }
}

function sqliteContext(dir: string, fileName: string): AppContext {
  const file = join(dir, fileName);
  return createBenchContext(openSqlite(file), `sqlite:${file}`);
}

/**
 * Customer accounts of phase (d). Fewer than the 10,000 bench wallets: each is created through
 * `createAccount` and `grantFunds`, several statements apiece. Callers that meet on one account
 * do not wait for each other: the units of a batch share its transaction and its locks.
 */
const CUSTOMER_COUNT = 1_000;

/**
 * Phase (d) on `ctx`: customer accounts and their funding through the gateway's own functions,
 * then hold-then-settle pairs as production's units (`units.ts`).
 */
async function measureUnits(ctx: AppContext, phase: Phase, size: PhaseSize): Promise<Measurement> {
  let accountIds: string[] = [];
  const seed = async () => {
    progress(`${phase.name}: seeding ${CUSTOMER_COUNT} funded customer accounts`);
    accountIds = await seedCustomers(ctx, CUSTOMER_COUNT);
  };
  const load = (options: LoadOptions) => runUnitsLoad(ctx, accountIds, options);
  return measureOnContext(ctx, phase, () => measureLoad(phase, size, load), seed);
}

export function runSqliteUnits(dir: string, size: PhaseSize): Promise<Measurement> {
  return measureUnits(sqliteContext(dir, 'units.db'), PHASES.sqlite_units, size);
}

export async function runPostgresUnits(baseUrl: string, size: PhaseSize): Promise<Measurement> {
  const url = await createPostgresDatabase(baseUrl, 'bench_units');
  return measureUnits(createBenchContext(openPostgres(url), url), PHASES.postgres_units, size);
}

export async function runSqliteNaive(dir: string, size: PhaseSize): Promise<Measurement> {
  const phase = PHASES.sqlite_naive;
  return measureOnContext(sqliteContext(dir, 'naive.db'), phase, (ctx) =>
    measureLoad(phase, size, (options) => runNaiveLoad(ctx, options)),
  );
}

export async function runSqliteTollgate(
  dir: string,
  size: PhaseSize,
  profile: boolean,
): Promise<Measurement> {
  const phase = PHASES.sqlite_tollgate;
  const measure = profile
    ? (fn: () => Promise<Measurement>) => profileSqlite(phase.name, fn)
    : undefined;
  return measureOnContext(sqliteContext(dir, 'tollgate.db'), phase, (ctx) =>
    measureLoad(phase, size, (options) => runTollgateLoad(ctx, options), measure),
  );
}

export async function runSqliteCeiling(dir: string, size: PhaseSize): Promise<Measurement> {
  const phase = PHASES.sqlite_ceiling;
  const file = join(dir, 'ceiling.db');
  // Seeded by Tollgate, measured with raw statements, reconciled by Tollgate again.
  return measureOnContext(sqliteContext(dir, 'ceiling.db'), phase, async () => {
    const sqlite = openRawSqlite(file);
    try {
      return await measureLoad(phase, size, (options) => runCeilingLoad(sqlite, options));
    } finally {
      sqlite.close();
    }
  });
}

export async function runPostgresNaive(baseUrl: string, size: PhaseSize): Promise<Measurement> {
  const phase = PHASES.postgres_naive;
  const url = await createPostgresDatabase(baseUrl, 'bench_naive');
  const ctx = createBenchContext(openPostgres(url, phase.caller_count), url);
  return measureOnContext(ctx, phase, () =>
    measureLoad(phase, size, (options) => runNaiveLoad(ctx, options)),
  );
}

export async function runPostgresTollgate(baseUrl: string, size: PhaseSize): Promise<Measurement> {
  const phase = PHASES.postgres_tollgate;
  const url = await createPostgresDatabase(baseUrl, 'bench_tollgate');
  const ctx = createBenchContext(openPostgres(url), url);
  return measureOnContext(ctx, phase, () =>
    measureLoad(phase, size, (options) => runTollgateLoad(ctx, options)),
  );
}
