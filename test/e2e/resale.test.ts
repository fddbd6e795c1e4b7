/**
 * The `heygen` engine (resale) against a SECOND Tollgate as the upstream: its own database and
 * gateway, listening on a real port, where the operator is a customer with an API key and a
 * negotiated rate. A customer's video is forwarded upstream, followed by polling, and settled on
 * the upstream's reported duration: the customer is charged the gateway's price, the upstream's
 * charge is recorded beside it, and the margin report (JSON and CSV) shows both. Both ledgers
 * reconcile. On every dialect.
 */
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { runJobWorkerTick } from '../../src/jobs/worker.ts';
import { runCli } from '../cli.ts';
import { createCustomer } from '../customers.ts';
import { createTestContext, dialects, expectLedgerBalanced, type TestContext } from '../harness.ts';
import { createOperatorToken, operatorHeaders } from '../operator.ts';
import { putRateOverride } from '../rate-cards.ts';
import { getVideo, PHOTO_720P, PHOTO_720P_CHARGE_MICRO_USD, submit } from '../videos.ts';

/** The upstream's price to the reseller: photo avatar 720p at $0.04/s, 10 s = $0.40. */
const UPSTREAM_COST_MICRO_USD = 400_000n;
const FUNDS_MICRO_USD = 5_000_000n;

async function startUpstream(dialect: (typeof dialects)[number]) {
  const ctx = await createTestContext(dialect);
  const app = buildServer(ctx);
  const operator = operatorHeaders(await createOperatorToken(ctx));
  const reseller = await createCustomer(ctx, {
    username: 'reseller',
    paid_micro_usd: FUNDS_MICRO_USD,
  });
  const override = await putRateOverride(app, operator, reseller.account_id, {
    rows: [{ sku: 'avatar_iv_v.photo_avatar.hd', rate_usd: '0.04' }],
  });
  expect(override.statusCode).toBe(200);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { ctx, app, reseller, url };
}

describe.each(dialects)('resale through a second Tollgate on %s', (dialect) => {
  it('charges the customer its price, records the upstream cost, and reports the margin', async () => {
    const closers: Array<() => Promise<void>> = [];
    try {
      const upstream = await startUpstream(dialect);
      closers.push(
        () => upstream.ctx.close(),
        () => upstream.app.close(),
      );
      const gateway: TestContext = await createTestContext(dialect, {
        env: {
          TOLLGATE_ENGINE: 'heygen',
          TOLLGATE_UPSTREAM_URL: upstream.url,
          TOLLGATE_UPSTREAM_API_KEY: upstream.reseller.api_key,
          TOLLGATE_ALLOW_PRIVATE_URLS: '1',
        },
      });
      const app = buildServer(gateway);
      closers.push(
        () => gateway.close(),
        () => app.close(),
      );
      const operator = operatorHeaders(await createOperatorToken(gateway));
      const ada = await createCustomer(gateway, { paid_micro_usd: FUNDS_MICRO_USD });

      const created = await submit(app, ada, PHOTO_720P);
      expect(created.statusCode).toBe(200);
      const video_id: string = created.json().data.video_id;
      await runJobWorkerTick(gateway); // claim, then forward upstream
      const engineJob = await gateway.db
        .selectFrom('engine_jobs')
        .selectAll()
        .where('job_id', '=', video_id)
        .executeTakeFirstOrThrow();
      expect(engineJob.upstream_id).toMatch(/^video_/);
      const upstreamVideo = await getVideo(upstream.app, upstream.reseller, engineJob.upstream_id!);
      expect(upstreamVideo.json().data).toMatchObject({ status: 'pending', callback_id: null });

      // Still rendering upstream: a poll leaves the job running.
      gateway.clock.advance(gateway.config.limits.engine_poll_interval_ms);
      await runJobWorkerTick(gateway);
      expect((await getVideo(app, ada, video_id)).json().data.status).toBe('processing');
      await runJobWorkerTick(upstream.ctx); // the upstream's simulator renders 10 s
      gateway.clock.advance(gateway.config.limits.engine_poll_interval_ms_max);
      await runJobWorkerTick(gateway);

      const video = (await getVideo(app, ada, video_id)).json().data;
      expect(video).toMatchObject({
        status: 'completed',
        duration: 10,
        video_url: expect.stringContaining(engineJob.upstream_id!),
        billing: { charged_amount_micro_usd: Number(PHOTO_720P_CHARGE_MICRO_USD) },
      });
      const recorded = await gateway.db
        .selectFrom('engine_jobs')
        .select(['upstream_cost_micro_usd', 'upstream_status'])
        .where('job_id', '=', video_id)
        .executeTakeFirstOrThrow();
      expect(recorded).toEqual({
        upstream_cost_micro_usd: UPSTREAM_COST_MICRO_USD,
        upstream_status: 'completed',
      });
      const resellerWallet = await upstream.app.inject({
        method: 'GET',
        url: '/v3/users/me',
        headers: upstream.reseller.headers,
      });
      expect(resellerWallet.json().data.wallet).toMatchObject({
        remaining_balance_micro_usd: Number(FUNDS_MICRO_USD - UPSTREAM_COST_MICRO_USD),
      });

      const day = new Date(Number(gateway.clock.now_ms())).toISOString().slice(0, 10);
      const report = await app.inject({
        method: 'GET',
        url: `/admin/v1/reports/margin?from=${day}`,
        headers: operator,
      });
      expect(report.statusCode).toBe(200);
      expect(report.json().data).toEqual([
        expect.objectContaining({
          day,
          product: 'avatar_video',
          account_id: ada.account_id,
          job_count: 1,
          costed_job_count: 1,
          charged_amount_micro_usd: 500_000,
          upstream_cost_micro_usd: 400_000,
          margin_micro_usd: 100_000,
          margin_usd: '0.10',
        }),
      ]);
      const csv = await app.inject({
        method: 'GET',
        url: `/admin/v1/reports/margin?from=${day}&format=csv`,
        headers: operator,
      });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.body.trim().split('\n')).toEqual([
        'day,product,account_id,job_count,costed_job_count,charged_amount_micro_usd,charged_usd,upstream_cost_micro_usd,upstream_cost_usd,margin_micro_usd,margin_usd',
        `${day},avatar_video,${ada.account_id},1,1,500000,0.50,400000,0.40,100000,0.10`,
      ]);
      const cli = await runCli(gateway, 'reports', 'margin', '--from', day);
      expect(cli.exit_code, cli.err).toBe(0);
      expect(cli.out).toBe(csv.body);
      const json = await runCli(gateway, 'reports', 'margin', '--from', day, '--json');
      expect(JSON.parse(json.out).data).toEqual(report.json().data);
      await expectLedgerBalanced(gateway);
      await expectLedgerBalanced(upstream.ctx);
    } finally {
      for (const close of closers.reverse()) await close();
    }
  });
});
