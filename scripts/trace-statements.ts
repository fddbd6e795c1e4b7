/**
 * Prints every SQL statement one request runs on SQLite, in order, with a count per request:
 * `GET /v3/users/me`, `POST /v3/videos` (admission), the worker's tick that claims that job and
 * the tick that settles it. `npx tsx scripts/trace-statements.ts [--sql] [--repeat N]`; with
 * `--repeat`, first the CPU time per request of N sequential requests of each kind and of N
 * admissions made 32 at a time (which the group committer batches), then the worker's CPU time
 * per job claiming and settling those jobs (ticks of `job_worker_batch_size`).
 * Statements are traced where better-sqlite3 runs them, so prepared statements
 * (`db/prepared.ts`), the ledger's row writes, `begin`/`commit` and savepoints are all listed.
 * A development aid for issue 16; it writes a throwaway database under `./data/trace-*`.
 */
import { rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { createAccount } from '../src/accounts/accounts.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { prepareDatabase } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { closeContext, createContext, withTransaction } from '../src/context.ts';
import { openSqlite } from '../src/db/connect.ts';
import { buildServer } from '../src/http/server.ts';
import { runJobWorkerTick } from '../src/jobs/worker.ts';
import { createFakeClock } from '../src/shared/clock.ts';
import { createRandomIds } from '../src/shared/ids.ts';
import { grantFunds } from '../src/wallets/grants.ts';

const showSql = process.argv.includes('--sql');
const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt === -1 ? 0 : Number(process.argv[repeatAt + 1]);
const file = `./data/trace-${process.pid}.db`;
let trace: string[] | null = null;
// Every statement better-sqlite3 runs, on either connection.
const probe = new SQLite(':memory:');
const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<
  string,
  (this: { source: string }, ...args: unknown[]) => unknown
>;
probe.close();
for (const method of ['run', 'all', 'get', 'iterate']) {
  const original = statementPrototype[method]!;
  statementPrototype[method] = function (this: { source: string }, ...args: unknown[]) {
    trace?.push(this.source);
    return original.apply(this, args);
  };
}

const config = loadConfig({
  LOG_LEVEL: 'silent',
  TOLLGATE_DEMO: '0',
  DATABASE_URL: `sqlite:${file}`,
});
const database = openSqlite(file);
const clock = createFakeClock();
const ctx = createContext({
  config,
  database,
  clock,
  ids: createRandomIds(),
});
await prepareDatabase(ctx);
const key = await withTransaction(ctx, async (tx) => {
  const account = await createAccount(tx, {
    username: 'trace',
    email: 'trace@example.com',
    first_name: 'T',
    last_name: 'T',
    existing_avatar_iii_customer: false,
    enterprise: false,
    concurrency_limit: 1000,
    overdraft_limit_micro_usd: 0n,
  });
  await grantFunds(tx, {
    account_id: account.id,
    kind: 'paid',
    amount_micro_usd: 10_000_000_000n,
    memo: null,
  });
  return (await createApiKey(tx, { account_id: account.id, name: 'trace' })).key;
});
const app = buildServer(ctx);
const body = {
  type: 'avatar',
  avatar_id: 'look_photo_lena',
  resolution: '720p',
  script: 'x'.repeat(150),
};
const headers = { 'x-api-key': key };

async function traced(name: string, fn: () => Promise<unknown>, warm = true) {
  if (warm) await fn();
  trace = [];
  const started = process.hrtime.bigint();
  await fn();
  const us = Number(process.hrtime.bigint() - started) / 1000;
  const kinds = trace;
  trace = null;
  console.log(`${name}: ${kinds.length} statements, ${us.toFixed(0)} µs`);
  if (!showSql) return;
  for (const text of kinds) {
    const sql = text.replace(/\s+/g, ' ');
    console.log(`  ${sql.length > 160 ? `${sql.slice(0, 160)}…` : sql}`);
  }
}

/**
 * CPU time (user + system) of this process per call of `fn`, over `repeat` calls made
 * `in_flight` at a time (sequentially with 1; with more, the group committer batches them).
 */
async function cpuPerCall(name: string, fn: () => Promise<unknown>, in_flight = 1) {
  const round = () => Promise.all(Array.from({ length: in_flight }, fn));
  for (let i = 0; i < Math.ceil(50 / in_flight); i++) await round();
  const rounds = Math.max(1, Math.round(repeat / in_flight));
  const before = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await round();
  const used = process.cpuUsage(before);
  const perCall = (used.user + used.system) / (rounds * in_flight);
  console.log(`${name}: ${perCall.toFixed(0)} µs CPU per call`);
}

/** Runs worker ticks until one moves nothing; returns the CPU µs they took. */
async function drainWorker(): Promise<number> {
  const before = process.cpuUsage();
  while ((await runJobWorkerTick(ctx)) > 0) {}
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const admit = () => app.inject({ method: 'POST', url: '/v3/videos', headers, payload: body });
if (repeat > 0) {
  await cpuPerCall('GET /v3/users/me', () =>
    app.inject({ method: 'GET', url: '/v3/users/me', headers }),
  );
  await cpuPerCall('POST /v3/videos', admit);
  await cpuPerCall('POST /v3/videos, 32 in flight', admit, 32);
  const jobs = 50 + repeat + 32 * Math.ceil(50 / 32) + 32 * Math.max(1, Math.round(repeat / 32));
  const claimUs = await drainWorker();
  clock.advance(10_000_000n);
  const settleUs = await drainWorker();
  console.log(`worker, claiming: ${(claimUs / jobs).toFixed(0)} µs CPU per job (${jobs} jobs)`);
  console.log(`worker, settling: ${(settleUs / jobs).toFixed(0)} µs CPU per job (${jobs} jobs)`);
}
await traced('GET /v3/users/me', () => app.inject({ method: 'GET', url: '/v3/users/me', headers }));
await traced('POST /v3/videos', admit);
await drainWorker();
clock.advance(10_000_000n);
await drainWorker();
await admit();
await traced('worker tick (claims the job)', () => runJobWorkerTick(ctx), false);
clock.advance(10_000_000n);
await traced('worker tick (settles the job)', () => runJobWorkerTick(ctx), false);
await app.close();
await closeContext(ctx);
for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
