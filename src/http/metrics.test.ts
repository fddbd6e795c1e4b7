import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { createOperatorToken, operatorHeaders } from '../../test/operator.ts';
import { drainWorker, PHOTO_720P, PHOTO_720P_HOLD_MICRO_USD, submit } from '../../test/videos.ts';
import { registerDatabaseGauges } from '../metrics/database-gauges.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { startMetricsServer } from './metrics.ts';
import { buildServer } from './server.ts';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses Prometheus exposition text into samples (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
}

describe.each(dialects)('/metrics on %s', (dialect) => {
  let ctx: TestContext;
  let metrics: Metrics;
  let app: ReturnType<typeof buildServer>;
  let ada: Customer;
  let operator: Record<string, string>;

  beforeEach(async () => {
    metrics = createMetrics();
    ctx = await createTestContext(dialect, { group_commit_observer: metrics.group_commit });
    registerDatabaseGauges(metrics.registry, ctx);
    app = buildServer(ctx, { metrics });
    operator = operatorHeaders(await createOperatorToken(ctx));
    ada = await createCustomer(ctx, { paid_micro_usd: 10_000_000n });
  });
  afterEach(async () => {
    await app.close();
    await ctx.close();
  });

  const scrape = async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: operator });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return parseExposition(res.body);
  };

  it('counts jobs in flight by product and status, pending holds, backlog and request latency by route pattern', async () => {
    for (const key of ['m-1', 'm-2']) {
      const res = await app.inject({
        method: 'POST',
        url: '/v3/videos',
        headers: { ...ada.headers, 'idempotency-key': key },
        payload: PHOTO_720P,
      });
      expect(res.statusCode).toBe(200);
    }
    const video_id = JSON.parse((await submit(app, ada, PHOTO_720P)).body).data.video_id;
    await app.inject({ method: 'GET', url: `/v3/videos/${video_id}`, headers: ada.headers });
    await app.inject({ method: 'GET', url: '/v3/videos/video_nope', headers: ada.headers });

    const held = await scrape();
    expect(
      sampleValue(held, 'tollgate_jobs_in_flight', { product: 'avatar_video', status: 'pending' }),
    ).toBe(3);
    expect(sampleValue(held, 'tollgate_holds_pending')).toBe(3);
    expect(sampleValue(held, 'tollgate_holds_pending_amount_micro_usd')).toBe(
      Number(3n * PHOTO_720P_HOLD_MICRO_USD),
    );
    expect(sampleValue(held, 'tollgate_worker_backlog_jobs')).toBe(3);
    expect(sampleValue(held, 'tollgate_idempotency_keys_in_flight')).toBe(0);
    const route = { method: 'POST', route: '/v3/videos', status_code: '200' };
    expect(sampleValue(held, 'tollgate_http_request_duration_seconds_count', route)).toBe(3);
    const detail = { method: 'GET', route: '/v3/videos/:video_id' };
    expect(
      sampleValue(held, 'tollgate_http_request_duration_seconds_count', {
        ...detail,
        status_code: '200',
      }),
    ).toBe(1);
    expect(
      sampleValue(held, 'tollgate_http_request_duration_seconds_count', {
        ...detail,
        status_code: '404',
      }),
    ).toBe(1);
    // Never the raw URL: no label carries a job id.
    const labelValues = held.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => v.includes(video_id) || v.includes('video_nope'))).toEqual([]);
    expect(sampleValue(held, 'tollgate_group_commit_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(held, 'tollgate_group_commit_duration_seconds_count'),
    ).toBeGreaterThanOrEqual(1);

    ctx.clock.advance(60_000n);
    await drainWorker(ctx);
    const done = await scrape();
    expect(done.filter((s) => s.name === 'tollgate_jobs_in_flight')).toEqual([]);
    expect(sampleValue(done, 'tollgate_holds_pending')).toBe(0);
    expect(sampleValue(done, 'tollgate_holds_pending_amount_micro_usd')).toBe(0);
    expect(sampleValue(done, 'tollgate_worker_backlog_jobs')).toBe(0);
    await expectLedgerBalanced(ctx);
  });

  it('requires the operator token on the main port', async () => {
    const none = await app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    const customer = await app.inject({ method: 'GET', url: '/metrics', headers: ada.headers });
    expect(customer.statusCode).toBe(401);
    expect(none.body).not.toContain('tollgate_');
  });

  it('an idempotency key is no longer counted in flight once its request has answered', async () => {
    metrics.idempotency.keys_in_flight = 0;
    const res = await app.inject({
      method: 'POST',
      url: '/admin/v1/accounts',
      headers: { ...operator, 'idempotency-key': 'acct-1' },
      payload: { username: 'bob' },
    });
    expect(res.statusCode).toBe(200);
    expect(metrics.idempotency.keys_in_flight).toBe(0);
    expect(sampleValue(await scrape(), 'tollgate_idempotency_keys_in_flight')).toBe(0);
  });
});

describe('TOLLGATE_METRICS_LISTEN', () => {
  it('serves /metrics on its own address without a token, and not on the main port', async () => {
    const ctx = await createTestContext('sqlite', {
      env: { TOLLGATE_METRICS_LISTEN: '127.0.0.1:0' },
    });
    const metrics = createMetrics({ database: ctx });
    const app = buildServer(ctx, { metrics });
    const listener = await startMetricsServer(metrics, ctx.config.metrics_listen!);
    try {
      expect(ctx.config.metrics_listen).toEqual({ host: '127.0.0.1', port: 0 });
      const operator = operatorHeaders(await createOperatorToken(ctx));
      const main = await app.inject({ method: 'GET', url: '/metrics', headers: operator });
      expect(main.statusCode).toBe(404);
      const { port } = listener.server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const samples = parseExposition(await res.text());
      expect(sampleValue(samples, 'tollgate_holds_pending')).toBe(0);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await listener.close();
      await app.close();
      await ctx.close();
    }
  });
});
