/**
 * The `http` engine against a render farm that is a real HTTP server (`test/render-worker.ts`),
 * with callbacks over real sockets to a listening gateway, on every dialect: a job is handed over
 * signed; duplicate, late and out-of-order callbacks settle it once; a worker that goes silent
 * fails its job and frees the hold; callbacks with a bad or stale signature are refused and
 * change nothing. The ledger reconciles after each test.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runJobWorkerTick } from '../../src/jobs/worker.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { freePort, startRenderWorker } from '../render-worker.ts';
import { useServer } from '../server-fixture.ts';
import { getVideo, jobRow, PHOTO_720P, PHOTO_720P_HOLD_MICRO_USD, submit } from '../videos.ts';

const SECRET = 'render-farm-secret-0123456789';
const HEARTBEAT_TIMEOUT_MS = 60_000n;
const FUNDS_MICRO_USD = 10_000_000n;
/** 8 s of photo avatar at 720p ($0.05/s). */
const CHARGE_8_S_MICRO_USD = 400_000n;

let now_ms: () => bigint = () => 0n;
const worker = await startRenderWorker({ secret: SECRET, now_ms: () => now_ms() });
const port = await freePort();
afterAll(() => worker.close());

describe.each(dialects)('render farm (http engine) on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: { paid_micro_usd: FUNDS_MICRO_USD },
    env: {
      TOLLGATE_ENGINE: 'http',
      TOLLGATE_HTTP_ENGINE_URL: worker.url,
      TOLLGATE_HTTP_ENGINE_SECRET: SECRET,
      TOLLGATE_HTTP_ENGINE_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
      TOLLGATE_ALLOW_PRIVATE_URLS: '1',
      TOLLGATE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
  });

  /** Submits the photo video, lets the worker hand it over, and returns its id. */
  async function handedOver(): Promise<string> {
    now_ms = () => t.ctx.clock.now_ms();
    await t.app.listen({ port, host: '127.0.0.1' });
    const res = await submit(t.app, t.ada, PHOTO_720P);
    expect(res.statusCode).toBe(200);
    const video_id: string = res.json().data.video_id;
    await runJobWorkerTick(t.ctx);
    const job = worker.jobs.find((candidate) => candidate.job_id === video_id);
    expect(job).toMatchObject({ kind: 'video', product: 'avatar_video', signature_ok: true });
    expect(job?.request).toMatchObject({ avatar_id: 'look_photo_lena' });
    return video_id;
  }

  it('hands a job to the render farm signed, and settles it once whatever the callbacks', async () => {
    const video_id = await handedOver();
    expect((await getVideo(t.app, t.ada, video_id)).json().data.status).toBe('processing');
    expect(await worker.send(video_id, { event: 'progress', progress: 40 })).toMatchObject({
      status: 200,
      json: { data: { applied: 'running' } },
    });
    const completed = { event: 'completed', duration: 8, video_url: 'https://farm.example/v.mp4' };
    // The same completion three times at once, then a late progress and an out-of-order failure.
    const ends = await Promise.all([1, 2, 3].map(() => worker.send(video_id, completed)));
    const applied = ends.map((end) => (end.json as { data: { applied: string } }).data.applied);
    expect(applied.sort()).toEqual(['completed', 'ignored', 'ignored']);
    for (const late of [
      { event: 'progress', progress: 90 },
      { event: 'failed', failure_message: 'GPU lost' },
      { event: 'completed', duration: 30 },
    ]) {
      expect((await worker.send(video_id, late)).json).toMatchObject({
        data: { applied: 'ignored' },
      });
    }
    const video = (await getVideo(t.app, t.ada, video_id)).json().data;
    expect(video).toMatchObject({
      status: 'completed',
      duration: 8,
      video_url: 'https://farm.example/v.mp4',
      billing: { charged_amount_micro_usd: Number(CHARGE_8_S_MICRO_USD) },
    });
    expect(await t.wallet()).toMatchObject({
      held_micro_usd: 0,
      remaining_balance_micro_usd: Number(FUNDS_MICRO_USD - CHARGE_8_S_MICRO_USD),
    });
    const engineJob = await t.ctx.db
      .selectFrom('engine_jobs')
      .selectAll()
      .where('job_id', '=', video_id)
      .executeTakeFirstOrThrow();
    expect(engineJob).toMatchObject({
      engine: 'http',
      upstream_id: expect.stringMatching(/^w_/),
      progress: 40n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('fails a job whose worker goes silent past the heartbeat timeout and frees its hold', async () => {
    const video_id = await handedOver();
    expect(await t.wallet()).toMatchObject({ held_micro_usd: Number(PHOTO_720P_HOLD_MICRO_USD) });
    t.ctx.clock.advance(HEARTBEAT_TIMEOUT_MS - 1_000n);
    await worker.send(video_id, { event: 'heartbeat' });
    // A heartbeat pushes the deadline: just past the first one, the job still runs.
    t.ctx.clock.advance(2_000n);
    await runJobWorkerTick(t.ctx);
    expect((await jobRow(t.ctx, video_id)).status).toBe('processing');
    t.ctx.clock.advance(HEARTBEAT_TIMEOUT_MS);
    await runJobWorkerTick(t.ctx);
    const video = (await getVideo(t.app, t.ada, video_id)).json().data;
    expect(video).toMatchObject({ status: 'failed', failure_code: 'engine_timeout' });
    expect(video.billing.charged_amount_micro_usd).toBe(0);
    expect(await t.wallet()).toMatchObject({
      held_micro_usd: 0,
      remaining_balance_micro_usd: Number(FUNDS_MICRO_USD),
    });
    // The worker's late result changes nothing.
    const late = await worker.send(video_id, { event: 'completed', duration: 8 });
    expect(late.json).toMatchObject({ data: { applied: 'ignored' } });
    expect(await t.wallet()).toMatchObject({
      remaining_balance_micro_usd: Number(FUNDS_MICRO_USD),
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('refuses callbacks with a bad or stale signature (401) and writes nothing', async () => {
    const video_id = await handedOver();
    const before = await t.ctx.db
      .selectFrom('engine_jobs')
      .selectAll()
      .where('job_id', '=', video_id)
      .executeTakeFirstOrThrow();
    const completed = { event: 'completed', duration: 8 };
    const forged = [
      { secret: 'another-secret-0123456789' },
      { now_ms: t.ctx.clock.now_ms() - 600_000n },
      { signed_body: JSON.stringify({ job_id: video_id, event: 'failed' }) },
    ];
    for (const sign of forged) {
      const res = await worker.send(video_id, completed, sign);
      expect(res).toMatchObject({
        status: 401,
        json: { error: { code: 'authentication_failed', param: 'Tollgate-Signature' } },
      });
    }
    expect((await jobRow(t.ctx, video_id)).status).toBe('processing');
    const after = await t.ctx.db
      .selectFrom('engine_jobs')
      .selectAll()
      .where('job_id', '=', video_id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(await t.wallet()).toMatchObject({ held_micro_usd: Number(PHOTO_720P_HOLD_MICRO_USD) });
    await expectLedgerBalanced(t.ctx);
  });

  it('fails a job the render farm refuses (4xx), costing nothing', async () => {
    worker.answer_status = 422;
    try {
      const video_id = await handedOver();
      const video = (await getVideo(t.app, t.ada, video_id)).json().data;
      expect(video).toMatchObject({ status: 'failed', failure_code: 'engine_refused' });
      expect(await t.wallet()).toMatchObject({
        held_micro_usd: 0,
        remaining_balance_micro_usd: Number(FUNDS_MICRO_USD),
      });
    } finally {
      worker.answer_status = 202;
    }
    await expectLedgerBalanced(t.ctx);
  });
});
