import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects, type TestContext } from '../../../test/harness.ts';
import { useServer, useTestContext } from '../../../test/server-fixture.ts';
import { MIGRATIONS } from '../../db/migrations/index.ts';
import { WORKER_IDLE_INTERVAL_MS, WORKER_TICK_DURATION_MS_MAX } from '../../jobs/worker.ts';
import {
  createWorkerHeartbeat,
  recordTickEnded,
  recordTickStarted,
} from '../../jobs/worker-heartbeat.ts';
import { buildServer } from '../server.ts';

const STALE_AFTER_MS = 10n * BigInt(WORKER_IDLE_INTERVAL_MS);

function heartbeatAt(ctx: TestContext) {
  return createWorkerHeartbeat({
    now_ms: ctx.clock.now_ms(),
    idle_interval_ms: WORKER_IDLE_INTERVAL_MS,
    tick_duration_ms_max: WORKER_TICK_DURATION_MS_MAX,
  });
}

async function readyz(app: ReturnType<typeof buildServer>) {
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  return { status: res.statusCode, data: res.json().data };
}

describe.each(dialects)('health endpoints on %s', (dialect) => {
  const t = useServer(dialect);

  it('/healthz and /readyz need no credentials and are not idempotency-scoped', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ data: { status: 'ok' } });
    const ready = await t.app.inject({
      method: 'GET',
      url: '/readyz',
      headers: { 'x-api-key': 'tg_not_a_key', 'idempotency-key': '%%bad%%' },
    });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().data).toMatchObject({ status: 'ready', reasons: [] });
  });

  it('/readyz is 200 when the database answers, all migrations are applied and the worker ticks', async () => {
    const heartbeat = heartbeatAt(t.ctx);
    const app = buildServer(t.ctx, { worker_heartbeat: heartbeat });
    try {
      t.ctx.clock.advance(STALE_AFTER_MS);
      expect(await readyz(app)).toEqual({
        status: 200,
        data: {
          status: 'ready',
          reasons: [],
          checks: { database: 'ok', migrations: 'ok', migrations_pending: [], worker: 'ok' },
        },
      });
    } finally {
      await app.close();
    }
  });
});

describe.each(dialects)('readiness failures on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('is 503 migrations_pending naming the migration the database lacks', async () => {
    const last = Object.keys(MIGRATIONS).at(-1)!;
    await sql`delete from kysely_migration where name = ${last}`.execute(t.ctx.db);
    const app = buildServer(t.ctx);
    try {
      const { status, data } = await readyz(app);
      expect(status).toBe(503);
      expect(data.reasons).toEqual(['migrations_pending']);
      expect(data.checks.migrations_pending).toEqual([last]);
    } finally {
      await app.close();
    }
  });

  it('is 503 database_unavailable when the database does not answer', async () => {
    // Every query through this handle fails, as they do when the database is down.
    const down = t.ctx.db.withPlugin({
      transformQuery: () => {
        throw new Error('connection refused');
      },
      transformResult: async (args) => args.result,
    });
    const app = buildServer({ ...t.ctx, db: down });
    try {
      const { status, data } = await readyz(app);
      expect(status).toBe(503);
      expect(data.reasons).toEqual(['database_unavailable']);
      expect(data.checks.database).toBe('database_unavailable');
    } finally {
      await app.close();
    }
  });

  it('is 503 worker_stale once the worker has not ticked for ten idle intervals', async () => {
    const heartbeat = heartbeatAt(t.ctx);
    const app = buildServer(t.ctx, { worker_heartbeat: heartbeat });
    try {
      recordTickStarted(heartbeat, t.ctx.clock.now_ms());
      recordTickEnded(heartbeat, t.ctx.clock.now_ms());
      t.ctx.clock.advance(STALE_AFTER_MS);
      expect((await readyz(app)).status).toBe(200);
      t.ctx.clock.advance(1n);
      const { status, data } = await readyz(app);
      expect(status).toBe(503);
      expect(data.reasons).toEqual(['worker_stale']);
      expect(data.checks.worker).toBe('worker_stale');
    } finally {
      await app.close();
    }
  });

  it('is 503 worker_stuck when one tick runs past ten idle intervals plus the tick bound', async () => {
    const heartbeat = heartbeatAt(t.ctx);
    const app = buildServer(t.ctx, { worker_heartbeat: heartbeat });
    try {
      recordTickStarted(heartbeat, t.ctx.clock.now_ms());
      t.ctx.clock.advance(STALE_AFTER_MS + BigInt(WORKER_TICK_DURATION_MS_MAX));
      expect((await readyz(app)).status).toBe(200);
      t.ctx.clock.advance(1n);
      const { status, data } = await readyz(app);
      expect(status).toBe(503);
      expect(data.reasons).toEqual(['worker_stuck']);
    } finally {
      await app.close();
    }
  });
});
