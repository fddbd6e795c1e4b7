/**
 * The process entry (`npm start`): config → context → bootstrap → HTTP server and workers, then a
 * graceful close on SIGINT/SIGTERM (stop accepting requests and let those in flight finish, stop
 * the workers, flush the group committer, close the database), bounded in time (`shutdown.ts`).
 * An invalid configuration stops the start with one line on stderr and exit code 1.
 */
import type { AddressInfo } from 'node:net';
import { bootstrap, renderStartBanner } from './bootstrap.ts';
import { type Config, ConfigError, loadConfigFromProcess } from './config.ts';
import { closeContext, createContext } from './context.ts';
import { openDatabase } from './db/connect.ts';
import { startMetricsServer } from './http/metrics.ts';
import { buildServer } from './http/server.ts';
import { startIdempotencyPurger } from './idempotency/purger.ts';
import { startJobWorker } from './jobs/worker.ts';
import { createMetrics } from './metrics/metrics.ts';
import { startAutoReloadWorker } from './reload/worker.ts';
import { createSystemClock } from './shared/clock.ts';
import { createRandomIds } from './shared/ids.ts';
import { createOutcomeCounts } from './shared/outcome-counts.ts';
import { createShutdownHandler, SHUTDOWN_SIGNALS } from './shutdown.ts';
import { startWebhookWorker } from './webhooks/worker.ts';

function loadConfigOrExit(): Config {
  try {
    return loadConfigFromProcess();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`tollgate: invalid configuration: ${err.message}\n`);
    process.exit(1);
  }
}

/** `http://localhost:8080` for a wildcard host, so the printed URL works when pasted. */
function baseUrlOf(host: string, address: AddressInfo): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const name = wildcard ? 'localhost' : address.family === 'IPv6' ? `[${host}]` : host;
  return `http://${name}:${address.port}`;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const database = openDatabase(config.database);
  const clock = createSystemClock();
  const counts = createOutcomeCounts();
  const metrics = createMetrics({
    database: { db: database.db, clock },
    process_metrics: true,
    counts,
  });
  const ctx = createContext({
    config,
    database,
    clock,
    ids: createRandomIds(),
    group_commit_observer: metrics.group_commit,
    counts,
  });
  const report = await bootstrap(ctx);
  const worker = startJobWorker(ctx, { observeTick: metrics.observeWorkerTick });
  const app = buildServer(ctx, { metrics, worker_heartbeat: worker.heartbeat });
  await app.listen({ host: config.host, port: config.port });
  const metricsServer =
    config.metrics_listen === null
      ? null
      : await startMetricsServer(metrics, config.metrics_listen);
  const reloadWorker = startAutoReloadWorker(ctx);
  const purger = startIdempotencyPurger(ctx);
  const webhookWorker = startWebhookWorker(ctx);
  process.stdout.write(
    renderStartBanner(report, baseUrlOf(config.host, app.server.address() as AddressInfo)),
  );

  const onSignal = createShutdownHandler({
    log: ctx.log,
    close: async () => {
      await app.close();
      await metricsServer?.close();
      await worker.stop();
      await reloadWorker.stop();
      await webhookWorker.stop();
      await purger.stop();
      await closeContext(ctx);
    },
    timeout_ms: config.shutdown_timeout_ms,
    now_ms: () => Number(ctx.clock.now_ms()),
    exit: (code) => process.exit(code),
  });
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => onSignal(signal));
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`tollgate: failed to start: ${message}\n`);
  process.exit(1);
});
