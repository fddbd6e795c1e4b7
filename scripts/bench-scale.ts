/**
 * `npm run bench:scale`: issue 16, item 5. Builds a large SQLite database quickly (1M customer
 * accounts, 10M ledger transfers by default; `scripts/bench-scale/build.ts`), times `reconcile`
 * on it, then measures `GET /v3/users/me` and `POST /v3/videos` p99 on a gateway process over
 * that database against the same gateway over an EMPTY one (only the load's accounts), in the
 * same run, and checks the gateway's resident memory; `--soak-s N` adds a long mixed load that
 * reports how the memory moved. Progress goes to stderr; the table and, as the last line, one
 * JSON object to stdout. The files under ./data are removed at the end unless `--keep`.
 *
 *   npm run bench:scale                                   # the size
 *   npm run bench:scale -- --accounts 100000 --transfers 1000000   # a quick run
 *   npm run bench:scale -- --keep                         # keep the database (path printed)
 *   npm run bench:scale -- --db data/bench-scale-x/scale.db   # reuse a kept database
 *   npm run bench:scale -- --soak-s 600                   # plus a 10-minute soak
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import cliProgress from 'cli-progress';
import { buildScaleDatabase, loadIndexes, prepareWithTollgate } from './bench-scale/build.ts';
import { measureRound, soak } from './bench-scale/measure.ts';
import { failedLoads, type Results, renderJson, renderTable } from './bench-scale/report.ts';
import { apiKeyOf } from './bench-scale/rows.ts';

const SEED = 7;
const PROJECT_ROOT = resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000000' },
    transfers: { type: 'string', default: '10000000' },
    'load-accounts': { type: 'string', default: '1000' },
    connections: { type: 'string', default: '64' },
    'duration-s': { type: 'string', default: '15' },
    'soak-s': { type: 'string', default: '0' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'skip-http': { type: 'boolean', default: false },
  },
});

const log = (line: string) => process.stderr.write(`${line}\n`);
const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const positive = (name: string, text: string | undefined, min = 1) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return value;
};

function progressBar(label: string, unit: string) {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% {value}/{total} ${unit}`,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done: number, total: number) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

async function build(
  file: string,
  accounts: number,
  transfers: number,
  load_accounts: number,
  label: string,
) {
  const bar = progressBar(`build ${label}`, 'customers');
  try {
    return await buildScaleDatabase({
      file,
      accounts,
      transfers,
      load_accounts,
      seed: SEED,
      on_progress: bar.update,
    });
  } finally {
    bar.stop();
  }
}

/**
 * `tollgate reconcile --json` in its own process, as an operator runs it: wall time, whether it
 * is clean, and the process's peak resident memory (VmHWM, read while it runs).
 */
async function reconcile(file: string) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'reconcile', '--json'],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' },
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  let peakKib = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKib = Math.max(peakKib, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0));
    } catch {
      // The process has ended.
    }
  }, 250);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  clearInterval(sampler);
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    ok: boolean;
    transfers_checked: number;
  };
  return {
    seconds: (performance.now() - started) / 1000,
    ok: report.ok && code === 0,
    transfers_checked: report.transfers_checked,
    rss_mib: peakKib / 1024,
  };
}

function countsOf(file: string) {
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const row = reader
      .prepare(
        `select (select count(*) from accounts) as accounts, (select count(*) from ledger_transfers) as transfers, (select count(*) from jobs) as jobs`,
      )
      .get() as { accounts: number; transfers: number; jobs: number };
    return row;
  } finally {
    reader.close();
  }
}

async function main(): Promise<void> {
  const accounts = positive('accounts', args.accounts);
  const transfers = positive('transfers', args.transfers, 0);
  const load_accounts = positive('load-accounts', args['load-accounts']);
  const connections = positive('connections', args.connections);
  const duration_s = positive('duration-s', args['duration-s']);
  const soak_s = positive('soak-s', args['soak-s'], 0);
  const load_before = loadAverage();
  mkdirSync(join(process.cwd(), 'data'), { recursive: true });
  const dir = mkdtempSync(join(process.cwd(), 'data', 'bench-scale-'));
  const keep = args.keep || args.db !== undefined;
  let interrupted = false;
  const cleanup = () => {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    interrupted = true;
    cleanup();
    process.exit(130);
  });
  try {
    const scaleFile = args.db ?? join(dir, 'scale.db');
    let build_s: number | null = null;
    if (args.db === undefined) {
      log(`building ${accounts} accounts and ${transfers} transfers in ${scaleFile}`);
      build_s = (await build(scaleFile, accounts, transfers, load_accounts, 'scale')).seconds;
    }
    // A kept database may predate a migration: apply it as a start would.
    await prepareWithTollgate(scaleFile);
    const counts = countsOf(scaleFile);
    log(`database: ${JSON.stringify(counts)}`);
    const reconciled = await reconcile(scaleFile);
    log(`reconcile: ${reconciled.seconds.toFixed(1)} s, ok ${reconciled.ok}`);
    const results: Results = {
      database: { ...counts, build_s, size_mib: statSync(scaleFile).size / 2 ** 20 },
      reconcile: reconciled,
      empty: null,
      scale: null,
      soak: null,
      load_before,
      load_after: '',
    };
    const scaleKeys = loadIndexes(counts.accounts, load_accounts).map((i) => apiKeyOf(i, SEED));
    if (!args['skip-http']) {
      const emptyFile = join(dir, 'empty.db');
      await build(emptyFile, load_accounts, 0, load_accounts, 'empty');
      const emptyKeys = loadIndexes(load_accounts, load_accounts).map((i) => apiKeyOf(i, SEED));
      const round = { connections, duration_s };
      log('measuring the empty database');
      results.empty = await measureRound({ file: emptyFile, api_keys: emptyKeys, ...round });
      log('measuring the scale database');
      results.scale = await measureRound({ file: scaleFile, api_keys: scaleKeys, ...round });
    }
    if (soak_s > 0) {
      log(`soak: ${soak_s} s of users/me + videos on the scale database`);
      results.soak = await soak({
        file: scaleFile,
        api_keys: scaleKeys,
        connections,
        seconds: soak_s,
        log,
      });
    }
    if (!args['skip-http'] || soak_s > 0) {
      const after = await reconcile(scaleFile);
      log(`reconcile after the load: ${after.seconds.toFixed(1)} s, ok ${after.ok}`);
      if (!after.ok) throw new Error('the scale database does not reconcile after the load');
    }
    results.load_after = loadAverage();
    if (keep) log(`kept: ${scaleFile}`);
    process.stdout.write(renderTable(results));
    process.stdout.write(renderJson(results));
    if (!reconciled.ok || failedLoads(results).length > 0) process.exitCode = 1;
  } finally {
    if (!interrupted) cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:scale failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
