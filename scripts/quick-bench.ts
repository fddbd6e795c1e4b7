/**
 * A quick HTTP benchmark for the fast-path work (until `npm run bench:http` lands): a Fastify
 * hello world and a gateway process (`npm start`) in the same run, 64 connections, 100 funded
 * accounts; `GET /v3/users/me` and `POST /v3/videos` (holds, the worker settling), each as a
 * share of hello world, then a `reconcile`. Options: `--postgres` (embedded PostgreSQL, one
 * node), `--prof` (`--cpu-prof` on the gateway; profiles in ./data/prof-*), `--seconds=N`,
 * `--only=me|videos`, and `--baseline=<dir>`: a second gateway from another checkout (with this
 * `node_modules` linked in), measured in the same run, so before/after share the machine's load.
 *
 *   npx tsx scripts/quick-bench.ts [--postgres] [--prof] [--seconds=10] [--baseline=/tmp/base]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgresServer } from '../test/postgres-server.ts';

const ROOT = join(import.meta.dirname, '..');
const CONNECTIONS = 64;
const ACCOUNT_COUNT = 100;
const ADMIN_TOKEN = 'tg_admin_quick_bench_token_0123456789';
const args = process.argv.slice(2);
const postgres = args.includes('--postgres');
const prof = args.includes('--prof');
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? '10');
const baseline = args.find((a) => a.startsWith('--baseline='))?.split('=')[1] ?? null;
const only = args.find((a) => a.startsWith('--only='))?.split('=')[1] ?? null;
const VIDEO_BODY = JSON.stringify({
  type: 'avatar',
  avatar_id: 'look_photo_lena',
  resolution: '720p',
  script: 'Hello from Tollgate! '.repeat(8).slice(0, 150),
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const HELLO = `import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });`;

function startProcess(command: string, argv: string[], env: Record<string, string>, cwd = ROOT) {
  const child = spawn(command, argv, {
    cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

async function stopProcess(p: { child: ChildProcess; exited: Promise<void> }): Promise<void> {
  try {
    process.kill(-(p.child.pid as number), 'SIGTERM');
  } catch {}
  await p.exited;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function admin(base: string, path: string, body: object) {
  const res = await fetch(`${base}/admin/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: Record<string, string> }).data;
}

async function fundedKeys(base: string): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < ACCOUNT_COUNT; i++) {
    const account = await admin(base, '/accounts', {
      username: `bench${i}`,
      concurrency_limit: 1_000,
    });
    await admin(base, `/accounts/${account.id}/grants`, { amount_usd: '1000000', kind: 'paid' });
    keys.push((await admin(base, `/accounts/${account.id}/api-keys`, { name: 'bench' })).key!);
  }
  return keys;
}

type Row = {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** CPU time of the server's process group per request: robust to a busy machine. */
  cpu_us_per_request: number;
};

/** CPU milliseconds (user + system) used so far by every process of a process group. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * 10;
}

async function load(
  name: string,
  server: { url: string; pgid: number },
  opts: object,
  keys: string[] = [],
): Promise<Row> {
  const url = server.url;
  let n = 0;
  const run = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      ...opts,
      setupClient: (client: { setHeaders: (h: object) => void }) => {
        if (keys.length === 0) return;
        const key = keys[n++ % keys.length]!;
        client.setHeaders({ 'x-api-key': key, 'content-type': 'application/json' });
      },
    } as autocannon.Options);
  await run(2);
  const cpuBeforeMs = groupCpuMs(server.pgid);
  const r = await run(seconds);
  const cpuMs = groupCpuMs(server.pgid) - cpuBeforeMs;
  return {
    name,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors,
    cpu_us_per_request: Math.round((1000 * cpuMs) / Math.max(1, r.requests.total)),
  };
}

type Gateway = {
  label: string;
  root: string;
  base: string;
  database_url: string;
  keys: string[];
  pgid: number;
};

async function startGateway(label: string, root: string, dataDir: string, pgUrl: string | null) {
  const port = await freePort();
  const database_url = pgUrl
    ? await createPgDatabase(pgUrl, `bench_${label}`)
    : `sqlite:${join(dataDir, `${label}.db`)}`;
  const env: Record<string, string> = {
    DATABASE_URL: database_url,
    HOST: '127.0.0.1',
    PORT: String(port),
    TOLLGATE_ADMIN_TOKEN: ADMIN_TOKEN,
    TOLLGATE_DEMO: '0',
    TOLLGATE_SIMULATOR_LATENCY_MS: '200',
  };
  // Node 20 refuses --cpu-prof in NODE_OPTIONS: run what `npm start` execs, with the flag.
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
    .start as string;
  if (prof && start.includes('&&'))
    execFileSync('sh', ['-c', start.split('&&')[0]!], { cwd: root });
  const startArgs = start.split('exec node ').at(-1)!.split(' ');
  const profDir = join(ROOT, 'data', `prof-${label}-${Date.now()}`);
  if (prof) mkdirSync(profDir, { recursive: true });
  const proc = prof
    ? startProcess('node', ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...startArgs], env, root)
    : startProcess('npm', ['start'], env, root);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/readyz`);
  const keys = await fundedKeys(base);
  const gateway: Gateway = {
    label,
    root,
    base,
    database_url,
    keys,
    pgid: proc.child.pid as number,
  };
  return { gateway, proc };
}

async function createPgDatabase(baseUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: `${baseUrl}postgres` });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  return `${baseUrl}${name}`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-qb-'));
  const pgServer = postgres ? await startPostgresServer() : null;
  const helloPort = await freePort();
  const hello = startProcess('node', ['--input-type=module', '-e', HELLO], {
    PORT: String(helloPort),
  });
  const roots: [string, string][] = baseline
    ? [
        ['base', baseline],
        ['new', ROOT],
      ]
    : [['new', ROOT]];
  const started: Awaited<ReturnType<typeof startGateway>>[] = [];
  try {
    for (const [label, root] of roots) {
      started.push(await startGateway(label, root, dataDir, pgServer?.base_url ?? null));
    }
    await waitReady(`http://127.0.0.1:${helloPort}/`);
    const load_before = loadavg()[0]!.toFixed(2);
    const helloUrl = { url: `http://127.0.0.1:${helloPort}/`, pgid: hello.child.pid as number };
    const rows = [await load('hello world', helloUrl, {})];
    if (only !== 'videos') {
      for (const { gateway: g } of started) {
        const me = { url: `${g.base}/v3/users/me`, pgid: g.pgid };
        rows.push(await load(`${g.label} GET /v3/users/me`, me, {}, g.keys));
      }
    }
    if (only !== 'me') {
      const video = { method: 'POST', body: VIDEO_BODY };
      for (const { gateway: g } of started) {
        const videos = { url: `${g.base}/v3/videos`, pgid: g.pgid };
        rows.push(await load(`${g.label} POST /v3/videos`, videos, video, g.keys));
      }
    }
    const helloAgain = await load('hello world', helloUrl, {});
    const load_after = loadavg()[0]!.toFixed(2);
    const helloRps = (rows[0]!.rps + helloAgain.rps) / 2;
    const helloCpuUs = (rows[0]!.cpu_us_per_request + helloAgain.cpu_us_per_request) / 2;
    rows.push(helloAgain);
    for (const row of rows) {
      const share = ((100 * row.rps) / helloRps).toFixed(1);
      console.log(
        `${row.name.padEnd(24)} ${String(row.rps).padStart(7)} req/s ${share.padStart(5)}%` +
          `  p50 ${row.p50} ms  p99 ${row.p99} ms  non-2xx ${row.non2xx}` +
          `  cpu ${row.cpu_us_per_request} µs/req (hello/this ${((100 * helloCpuUs) / row.cpu_us_per_request).toFixed(1)}%)`,
      );
    }
    console.log(`load average (1 min) before ${load_before}, after ${load_after}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const { gateway: g, proc } of started) {
      await stopProcess(proc);
      const report = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'reconcile', '--json'], {
        cwd: g.root,
        env: { ...process.env, DATABASE_URL: g.database_url },
      }).toString();
      console.log(`${g.label} reconcile ok: ${JSON.parse(report).ok}`);
    }
    console.log(
      JSON.stringify({ db: postgres ? 'postgres' : 'sqlite', rows, load_before, load_after }),
    );
  } finally {
    for (const { proc } of started) await stopProcess(proc);
    await stopProcess(hello);
    await pgServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
