/**
 * Ending the gateway as a supervisor does: a signal to `npm start`'s whole process group. The
 * first SIGTERM closes gracefully and every process of the group ends, also under load with jobs
 * in flight; a shutdown that cannot finish (a request that never completes) ends at its timeout;
 * a second signal ends it at once. These run the real `npm start`, not `main()` in-process.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, groupAlive, startGatewayProcess } from '../gateway-process.ts';
import { PHOTO_720P } from '../videos.ts';

const EXIT_WAIT_MS = 8_000;

function exitWithin(gateway: GatewayProcess, wait_ms: number): Promise<number | string | null> {
  return Promise.race([
    gateway.exited,
    new Promise<null>((done) => setTimeout(() => done(null), wait_ms)),
  ]);
}

/** Keeps requests in flight until `stop` resolves: videos with holds, and balance reads. */
async function loadUntil(gateway: GatewayProcess, stop: Promise<unknown>): Promise<number> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  let sent = 0;
  const headers = { 'x-api-key': gateway.demo_api_key, 'content-type': 'application/json' };
  const loop = async (index: number) => {
    while (!stopped) {
      sent++;
      const request =
        index % 2 === 0
          ? { method: 'POST', headers, body: JSON.stringify(PHOTO_720P) }
          : { method: 'GET', headers };
      const path = index % 2 === 0 ? '/v3/videos' : '/v3/users/me';
      await fetch(`${gateway.base_url}${path}`, request).then(
        (res) => res.arrayBuffer(),
        () => null,
      );
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, index) => loop(index)));
  return sent;
}

/** A request whose body never finishes arriving: it keeps a graceful close waiting. */
function hangingRequest(gateway: GatewayProcess): () => void {
  const url = new URL(gateway.base_url);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  socket.write(
    'POST /v3/videos HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n' +
      `x-api-key: ${gateway.demo_api_key}\r\ncontent-length: 1000\r\n\r\n{"type":`,
  );
  return () => socket.destroy();
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('npm start under a supervisor’s signals', () => {
  let gateway: GatewayProcess | null = null;
  afterEach(() => {
    gateway?.cleanup();
    gateway = null;
  });

  it('SIGTERM to the process group under load ends every process, gracefully', async () => {
    gateway = await startGatewayProcess();
    const signalled = sleep(1_000).then(() => gateway?.signalGroup('SIGTERM'));
    const sent = await loadUntil(
      gateway,
      signalled.then(() => sleep(500)),
    );
    expect(sent).toBeGreaterThan(16);
    expect(await exitWithin(gateway, EXIT_WAIT_MS)).toBe(0);
    expect(groupAlive(gateway)).toBe(false);
    expect(gateway.output()).toContain('"msg":"stopped"');
  }, 60_000);

  it('a shutdown that cannot finish ends at TOLLGATE_SHUTDOWN_TIMEOUT_MS, not never', async () => {
    gateway = await startGatewayProcess({ TOLLGATE_SHUTDOWN_TIMEOUT_MS: '1500' });
    const release = hangingRequest(gateway);
    await sleep(200);
    gateway.signalGroup('SIGTERM');
    await sleep(1_100);
    expect(groupAlive(gateway)).toBe(true);
    const code = await exitWithin(gateway, EXIT_WAIT_MS);
    release();
    expect(code).toBe(1);
    expect(groupAlive(gateway)).toBe(false);
    expect(gateway.output()).toContain('shutdown timed out');
  }, 60_000);

  it('a second signal, after the first was forwarded, exits at once', async () => {
    gateway = await startGatewayProcess({ TOLLGATE_SHUTDOWN_TIMEOUT_MS: '60000' });
    const release = hangingRequest(gateway);
    await sleep(200);
    gateway.signalGroup('SIGTERM');
    await sleep(1_500);
    expect(groupAlive(gateway)).toBe(true);
    gateway.signalGroup('SIGTERM');
    const code = await exitWithin(gateway, 2_000);
    release();
    expect(code).toBe(143);
    expect(gateway.output()).toContain('second signal');
  }, 60_000);
});
