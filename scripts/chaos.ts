/**
 * `npm run chaos` (SQLite) and `npm run chaos -- --postgres`: Tollgate under concurrent
 * `POST /v3/videos` with Idempotency-Keys while something crashes N times (default 10; `--crashes
 * N` or `CHAOS_CRASHES`). SQLite: the gateway itself (`tsx src/main.ts`, as `npm start` runs it)
 * is killed with `kill -9` at random moments and started again on the same data. PostgreSQL: the
 * embedded database server is restarted under the running gateway. After each crash the client
 * retries every request it did not learn the outcome of, with its own key. Then it checks every
 * acknowledged job ended, no job exists the client does not know of, the wallet moved by exactly
 * the charges the client learned of, no hold is left, and `tollgate reconcile` is clean. Figures
 * go to stdout, the last line is one JSON object; exit code 1 when a check fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runReconcile, settleAndCount } from './chaos/checks.ts';
import { createChaosClient, createFundedCustomer } from './chaos/client.ts';
import {
  createGateway,
  findFreePort,
  type RestartablePostgres,
  sleep,
  startRestartablePostgres,
} from './chaos/processes.ts';

const CRASHES_DEFAULT = 10;
const CONCURRENCY_DEFAULT = 16;
const GRANT_USD = '10000.00';
const GRANT_MICRO_USD = 10_000_000_000;
/** Random pause under load before each crash. */
const CRASH_DELAY_MS_MIN = 300;
const CRASH_DELAY_MS_MAX = 1_500;
/** Short enough that a retry learns a cut-off request's outcome within seconds. */
const LEASE_MS = 2_000;
const RETRY_PAUSE_MS = 50;
const DRAIN_TIMEOUT_MS = 120_000;

type Options = { crashes: number; concurrency: number; postgres: boolean };

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      crashes: { type: 'string' },
      concurrency: { type: 'string' },
      postgres: { type: 'boolean', default: false },
    },
  });
  const crashes = Number(values.crashes ?? process.env.CHAOS_CRASHES ?? CRASHES_DEFAULT);
  const concurrency = Number(values.concurrency ?? CONCURRENCY_DEFAULT);
  if (!Number.isInteger(crashes) || crashes < 0 || crashes > 1_000) {
    throw new Error('--crashes must be a whole number from 0 to 1000');
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error('--concurrency must be a whole number from 1 to 256');
  }
  return { crashes, concurrency, postgres: values.postgres === true };
}

/** Every seventh video fails in the simulator (costs nothing); the rest complete. */
function videoBody(index: number): object {
  const fail = index % 7 === 6 ? ' [simulate:fail]' : '';
  return {
    type: 'avatar',
    avatar_id: 'look_photo_lena',
    resolution: '720p',
    script: `Chaos video number ${index}.${fail}`,
  };
}

const log = (line: string) => process.stderr.write(`chaos: ${line}\n`);

async function main(): Promise<void> {
  const options = readOptions();
  const started_ms = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-chaos-'));
  let postgres: RestartablePostgres | null = null;
  // Its own top-level directory: the server runs as another user, who cannot enter `dir`.
  const pgDir = options.postgres ? mkdtempSync(join(tmpdir(), 'tollgate-chaos-pg-')) : null;
  if (pgDir !== null) postgres = await startRestartablePostgres(pgDir);
  const database_url = postgres?.url ?? `sqlite:${join(dir, 'tollgate.db')}`;
  const admin_token = randomBytes(24).toString('hex');
  const gateway = createGateway(
    {
      DATABASE_URL: database_url,
      TOLLGATE_ADMIN_TOKEN: admin_token,
      TOLLGATE_DEMO: '0',
      TOLLGATE_SIMULATOR_LATENCY_MS: '200',
      TOLLGATE_IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
      LOG_LEVEL: 'fatal',
    },
    await findFreePort(),
  );
  try {
    await gateway.start();
    const outcome = await runChaos({ options, gateway, postgres, admin_token });
    await gateway.stop();
    const reconcile_ok = await runReconcile(database_url);
    report({ options, outcome, reconcile_ok, duration_ms: Date.now() - started_ms });
  } finally {
    await gateway.kill();
    await postgres?.stop();
    for (const path of [dir, pgDir])
      if (path !== null) rmSync(path, { recursive: true, force: true });
  }
}

type Run = {
  options: Options;
  gateway: ReturnType<typeof createGateway>;
  postgres: RestartablePostgres | null;
  admin_token: string;
};

async function runChaos(run: Run) {
  const { options, gateway, postgres } = run;
  const customer = await createFundedCustomer(gateway.base_url, run.admin_token, GRANT_USD);
  const client = createChaosClient(() => gateway.base_url, customer.api_key, videoBody);
  let load = true;
  let paused = false;
  const worker = async () => {
    const drainDeadline = () => Date.now() + DRAIN_TIMEOUT_MS;
    let deadline = Number.POSITIVE_INFINITY;
    while (load || (client.unresolved() > 0 && Date.now() < deadline)) {
      if (!load && deadline === Number.POSITIVE_INFINITY) deadline = drainDeadline();
      if (paused) {
        await sleep(10);
        continue;
      }
      const retrying = client.unresolved() > 0;
      await client.step(load);
      if (retrying || !load) await sleep(RETRY_PAUSE_MS);
    }
  };
  const workers = Array.from({ length: options.concurrency }, worker);
  for (let crash = 1; crash <= options.crashes; crash++) {
    const range = CRASH_DELAY_MS_MAX - CRASH_DELAY_MS_MIN;
    await sleep(CRASH_DELAY_MS_MIN + Math.floor(Math.random() * range));
    if (postgres === null) {
      paused = true;
      await gateway.kill();
      await gateway.start();
      paused = false;
    } else {
      await postgres.restart();
    }
    log(`crash ${crash}/${options.crashes}: ${client.unresolved()} requests to retry`);
  }
  load = false;
  await Promise.all(workers);
  const outcome = await settleAndCount({
    base_url: gateway.base_url,
    api_key: customer.api_key,
    admin_token: run.admin_token,
    account_id: customer.account_id,
    grant_micro_usd: GRANT_MICRO_USD,
    video_ids: [...client.acknowledged.keys()],
  });
  return { ...client.counters, unresolved: client.unresolved(), ...outcome };
}

function report(parts: {
  options: Options;
  outcome: Awaited<ReturnType<typeof runChaos>>;
  reconcile_ok: boolean;
  duration_ms: number;
}): void {
  const { options, outcome } = parts;
  const checks = {
    every_request_resolved: outcome.unresolved === 0,
    every_acknowledged_job_ended: outcome.jobs_not_ended === 0,
    no_job_unknown_to_client: outcome.jobs_unknown_to_client === 0,
    wallet_moved_by_charges: outcome.wallet_moved_micro_usd === outcome.charged_micro_usd,
    no_hold_left: outcome.held_micro_usd === 0,
    reconcile_clean: parts.reconcile_ok,
  };
  const ok = Object.values(checks).every(Boolean);
  const figures: Record<string, unknown> = {
    database: options.postgres ? 'postgres' : 'sqlite',
    crashes: options.crashes,
    crash_kind: options.postgres ? 'database server restart' : 'kill -9 of the gateway',
    concurrency: options.concurrency,
    ...outcome,
    duration_ms: parts.duration_ms,
  };
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name}: ${value}\n`);
  for (const [name, passed] of Object.entries(checks)) {
    process.stdout.write(`check ${name}: ${passed ? 'ok' : 'FAILED'}\n`);
  }
  process.stdout.write(`${JSON.stringify({ ok, ...figures, checks })}\n`);
  if (!ok) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
