/**
 * A gateway process for the scale benchmark, started as an operator starts it (`npm start` in
 * its own process group, as `test/gateway-process.ts` does) on a given SQLite file, plus its
 * resident memory read from /proc (the node process at the bottom of npm's process tree).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type Gateway = {
  base_url: string;
  /** Resident memory of the gateway's node process, in MiB. */
  rssMib: () => number;
  stop: () => Promise<void>;
};

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export async function startGateway(database_file: string): Promise<Gateway> {
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${database_file}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      TOLLGATE_DEMO: '0',
      TOLLGATE_ADMIN_TOKEN: 'bench-scale-operator-token',
      TOLLGATE_SIMULATOR_LATENCY_MS: '200',
    },
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const started = Date.now();
  for (;;) {
    const address = /listening on (http:\/\/\S+)/.exec(output);
    if (address) {
      const pid = nodePidOf(child.pid as number);
      return {
        base_url: address[1]!,
        rssMib: () => rssMibOf(pid),
        stop: () => stopGroup(child, exited),
      };
    }
    if (child.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) {
      signalGroup(child, 'SIGKILL');
      throw new Error(`the gateway did not start:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * The gateway's node process: the deepest `node` below `root` (npm → node after `exec`, or
 * npm → sh → node); other children (tsx's esbuild service) are skipped.
 */
function nodePidOf(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while listing.
    }
  }
  const commOf = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  let pid = root;
  let node = root;
  for (let depth = 0; depth < 8; depth++) {
    const next = (children.get(pid) ?? []).find((child) => commOf(child) !== 'esbuild');
    if (next === undefined) break;
    pid = next;
    if (commOf(pid) === 'node') node = pid;
  }
  return node;
}

function rssMibOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN');
    return kib / 1024;
  } catch {
    return Number.NaN;
  }
}
