import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { finishDueJob, runJobWorkerTick } from '../../src/jobs/worker.ts';
import { balanceOf, type Customer, createCustomer } from '../customers.ts';
import { createTestContext, dialects, expectLedgerBalanced, type TestContext } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { drainWorker, getVideo, jobRow, SCRIPT_150_CHARS, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 20_000_000n;
const HOLD_TTL_MS = 60_000n;
const TWIN = { type: 'avatar', avatar_id: 'look_twin_amara', script: SCRIPT_150_CHARS };

describe.each(dialects)('cancelled and expired jobs cost nothing on %s', (dialect) => {
  let ctx: TestContext;
  let app: ReturnType<typeof buildServer>;
  let ada: Customer;

  async function setup(latency_ms: number) {
    ctx = await createTestContext(dialect, {
      env: { TOLLGATE_SIMULATOR_LATENCY_MS: String(latency_ms) },
      limits: { hold_ttl_ms: HOLD_TTL_MS },
    });
    app = buildServer(ctx);
    ada = await createCustomer(ctx, { paid_micro_usd: FUNDED_MICRO_USD });
  }
  async function restart(latency_ms: number) {
    await app.close();
    await ctx.close();
    await setup(latency_ms);
  }
  const remove = (customer: Customer, video_id: string) =>
    app.inject({ method: 'DELETE', url: `/v3/videos/${video_id}`, headers: customer.headers });

  beforeEach(() => setup(30_000));
  afterEach(async () => {
    await app.close();
    await ctx.close();
  });

  it('deleting a pending or processing video voids its hold, frees its slot and hides it', async () => {
    const slots = await createCustomer(ctx, {
      username: 'slots',
      paid_micro_usd: 5_000_000n,
      concurrency_limit: 2,
    });
    const first = (await submit(app, slots, TWIN)).json().data.video_id;
    await drainWorker(ctx); // first is processing
    const second = (await submit(app, slots, TWIN)).json().data.video_id;
    expect((await submit(app, slots, TWIN)).statusCode).toBe(429);
    for (const video_id of [first, second]) {
      const deleted = await remove(slots, video_id);
      expect(deleted.statusCode).toBe(200);
      expectHeygenShape('delete_v3_videos_video_id.yaml', deleted.json());
      expect(deleted.json()).toEqual({ data: { id: video_id, deleted: true } });
      expect((await getVideo(app, slots, video_id)).statusCode).toBe(404);
    }
    expect(await balanceOf(ctx, slots)).toMatchObject({
      held_micro_usd: 0n,
      available_micro_usd: 5_000_000n,
    });
    expect((await submit(app, slots, TWIN)).statusCode).toBe(200);
    ctx.clock.advance(30_000n);
    await drainWorker(ctx);
    expect(await jobRow(ctx, first)).toMatchObject({
      status: 'cancelled',
      charged_amount_micro_usd: 0n,
    });
    expect((await remove(slots, first)).statusCode).toBe(404);
    await expectLedgerBalanced(ctx);
  });

  it('deleting a completed video hides it and its charge stands', async () => {
    const { video_id } = (await submit(app, ada, TWIN)).json().data;
    await drainWorker(ctx);
    ctx.clock.advance(30_000n);
    await drainWorker(ctx);
    expect((await remove(ada, video_id)).json()).toEqual({ data: { id: video_id, deleted: true } });
    expect((await getVideo(app, ada, video_id)).statusCode).toBe(404);
    const listed = await app.inject({ method: 'GET', url: '/v3/videos', headers: ada.headers });
    expect(listed.json().data).toEqual([]);
    expect((await balanceOf(ctx, ada)).settled_micro_usd).toBe(667_000n);
    await expectLedgerBalanced(ctx);
  });

  it('a hold that expires while its job is in flight fails the job with hold_expired, cost 0', async () => {
    await restart(600_000); // renders take 10 minutes; holds last 1 minute
    const { video_id } = (await submit(app, ada, TWIN)).json().data;
    await drainWorker(ctx);
    ctx.clock.advance(HOLD_TTL_MS);
    expect(await runJobWorkerTick(ctx)).toBe(1);
    const failed = (await getVideo(app, ada, video_id)).json();
    expectHeygenShape('get_v3_videos_video_id.yaml', failed);
    expect(failed.data).toMatchObject({
      status: 'failed',
      failure_code: 'hold_expired',
      billing: { charged_amount_micro_usd: 0 },
    });
    expect(await balanceOf(ctx, ada)).toMatchObject({
      held_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    ctx.clock.advance(600_000n);
    expect(await drainWorker(ctx)).toBe(0);
    expect((await balanceOf(ctx, ada)).settled_micro_usd).toBe(0n);
    await expectLedgerBalanced(ctx);
  });

  it('a job whose worker was down past the hold expires on the next tick, never stuck pending', async () => {
    const { video_id } = (await submit(app, ada, TWIN)).json().data;
    ctx.clock.advance(HOLD_TTL_MS + 1n);
    await drainWorker(ctx);
    expect(await jobRow(ctx, video_id)).toMatchObject({
      status: 'failed',
      failure_code: 'hold_expired',
    });
    expect((await balanceOf(ctx, ada)).available_micro_usd).toBe(FUNDED_MICRO_USD);
    await expectLedgerBalanced(ctx);
  });

  it('a result that arrives after the hold expired (before the sweep) is not charged', async () => {
    await restart(120_000);
    const { video_id } = (await submit(app, ada, TWIN)).json().data;
    await drainWorker(ctx);
    ctx.clock.advance(120_000n);
    expect(await ctx.committer.run((tx) => finishDueJob(tx, video_id))).toBe(true);
    expect(await jobRow(ctx, video_id)).toMatchObject({
      status: 'failed',
      failure_code: 'hold_expired',
      charged_amount_micro_usd: 0n,
    });
    expect(await balanceOf(ctx, ada)).toMatchObject({ held_micro_usd: 0n, settled_micro_usd: 0n });
    await expectLedgerBalanced(ctx);
  });
});
