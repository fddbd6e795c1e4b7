/**
 * A real gateway process started the way an operator starts it: `npm start` in its own process
 * group (as a supervisor runs it), on a throwaway SQLite file and a free port. Resolves once the
 * start banner names the address; gives the demo API key the banner printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type GatewayProcess = {
  child: ChildProcess;
  base_url: string;
  demo_api_key: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the exit code (or signal name) once every process of the group has ended. */
  exited: Promise<number | string>;
  /** Signals the whole process group, as a supervisor's `kill -TERM -<pgid>` does. */
  signalGroup: (signal: NodeJS.Signals) => void;
  cleanup: () => void;
};

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const START_TIMEOUT_MS = 30_000;

export async function startGatewayProcess(
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-gw-'));
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dataDir, 'tollgate.db')}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      TOLLGATE_SIMULATOR_LATENCY_MS: '200',
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((done) => {
    child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is already gone.
    }
  };
  const cleanup = () => {
    signalGroup('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    const address = /listening on (http:\/\/\S+)/.exec(output);
    const key = /API key \(shown once\):\s+(\S+)/.exec(output);
    if (address && key) {
      return {
        child,
        base_url: address[1]!,
        demo_api_key: key[1]!,
        output: () => output,
        exited,
        signalGroup,
        cleanup,
      };
    }
    if (child.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) {
      cleanup();
      throw new Error(`the gateway did not start:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** True while any process of the group (npm, the shell, node) is still alive. */
export function groupAlive(gateway: GatewayProcess): boolean {
  try {
    process.kill(-(gateway.child.pid as number), 0);
    return true;
  } catch {
    return false;
  }
}
