/**
 * The server processes a benchmark run measures, each started the way production starts it and
 * never inside the benchmark's process: gateway nodes with `npm start` (through the chaos run's
 * `createGateway`), and the Fastify hello world with the same `node --import tsx` setup. A node
 * knows the pid of its server process, for CPU time and resident memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createGateway,
  createServerProcess,
  findFreePort,
  type Gateway,
} from '../chaos/processes.ts';
import { serverPidOf } from './proc.ts';

export type ServerNode = {
  name: string;
  base_url: string;
  /** The server's own process (node), not the `npm` leading its group. */
  pid: number;
  stop: () => Promise<void>;
};

export type GatewaySetup = {
  database_url: string;
  admin_token: string;
  simulator_latency_ms: number;
  log_level: string;
  /**
   * When set, every gateway node runs `npm start`'s command with `--cpu-prof` added, and writes
   * a V8 CPU profile there when it stops.
   */
  cpu_prof_dir: string | null;
};

/** Process groups started and not yet stopped, killed by `killAllNodes` on an interrupt. */
const runningGroups = new Set<number>();

async function started(name: string, server: Gateway): Promise<ServerNode> {
  try {
    await server.start();
  } catch (err) {
    await server.kill();
    throw err;
  }
  const leader = server.pid();
  if (leader === null) throw new Error(`${name}: the process did not start`);
  runningGroups.add(leader);
  const stop = async () => {
    await server.stop();
    runningGroups.delete(leader);
  };
  return { name, base_url: server.base_url, pid: serverPidOf(leader), stop };
}

/** `kill -9` of every server process group still running (synchronous, for signal handlers). */
export function killAllNodes(): void {
  for (const leader of runningGroups) {
    try {
      process.kill(-leader, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  runningGroups.clear();
}

/** A gateway node on `setup.database_url`, as `npm start` runs it; resolves once it is ready. */
export async function startGatewayNode(name: string, setup: GatewaySetup): Promise<ServerNode> {
  const env: Record<string, string> = {
    DATABASE_URL: setup.database_url,
    TOLLGATE_ADMIN_TOKEN: setup.admin_token,
    TOLLGATE_DEMO: '0',
    TOLLGATE_SIMULATOR_LATENCY_MS: String(setup.simulator_latency_ms),
    LOG_LEVEL: setup.log_level,
  };
  const port = await findFreePort();
  if (setup.cpu_prof_dir === null) return started(name, createGateway(env, port));
  const command = profiledStartCommand(setup.cpu_prof_dir);
  return started(name, createServerProcess({ command: ['sh', '-c', command], env, port }));
}

/**
 * `npm start`'s own command with V8's CPU profiler added to its `node` (Node 20 refuses
 * `--cpu-prof` in NODE_OPTIONS). The profile is written when the node stops.
 */
function profiledStartCommand(dir: string): string {
  const manifest = join(import.meta.dirname, '..', '..', 'package.json');
  const start = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts: { start: string } })
    .scripts.start;
  // The gateway is the last `node` of the command (`npm start` builds first, then execs it).
  const gateway = /\bnode(?=\s+dist\/main\.js\b)/;
  if (!gateway.test(start)) throw new Error(`npm start runs no node dist/main.js: ${start}`);
  return start.replace(gateway, `node --cpu-prof --cpu-prof-dir=${JSON.stringify(dir)}`);
}

/** The Fastify hello world baseline (`hello-server.ts`) in its own process. */
export async function startHelloNode(): Promise<ServerNode> {
  const entry = join(import.meta.dirname, 'hello-server.ts');
  const server = createServerProcess({
    command: [process.execPath, '--import', 'tsx', entry],
    env: {},
    port: await findFreePort(),
  });
  return started('hello world', server);
}
