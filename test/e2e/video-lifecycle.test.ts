import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/context.ts';
import { finishJob } from '../../src/jobs/settle.ts';
import { claimPendingJobs, finishDueJob, runJobWorkerTick } from '../../src/jobs/worker.ts';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, getVideo, jobRow, SCRIPT_150_CHARS, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 20_000_000n;
const TWIN_1080P = {
  type: 'avatar',
  avatar_id: 'look_twin_sofia',
  engine: { type: 'avatar_iv' },
  resolution: '1080p',
  script: SCRIPT_150_CHARS,
  title: 'Quarterly update',
};

describe.each(dialects)('a video from submission to settlement on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });

  it('an Avatar IV digital twin 1080p, 150-character script holds its estimate, then is charged exactly 10 s', async () => {
    const created = await submit(t.app, t.ada, TWIN_1080P);
    expect(created.statusCode).toBe(200);
    expectHeygenShape('post_v3_videos.yaml', created.json());
    const { video_id, status, output_format } = created.json().data;
    expect({ status, output_format }).toEqual({ status: 'pending', output_format: 'mp4' });
    // The hold: 150 characters at 10 per second = 15 s × $0.0667 = $1.0005.
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 1_000_500n,
      available_micro_usd: FUNDED_MICRO_USD - 1_000_500n,
    });
    const pending = (await getVideo(t.app, t.ada, video_id)).json();
    expectHeygenShape('get_v3_videos_video_id.yaml', pending);
    expect(pending.data).toMatchObject({ status: 'pending', video_url: null, duration: null });

    expect(await drainWorker(t.ctx)).toBe(2);
    const done = (await getVideo(t.app, t.ada, video_id)).json();
    expectHeygenShape('get_v3_videos_video_id.yaml', done);
    expect(done.data).toMatchObject({
      id: video_id,
      title: 'Quarterly update',
      status: 'completed',
      duration: 10,
      failure_code: null,
      created_at: Number(t.ctx.clock.now_ms() / 1000n),
      billing: {
        sku: 'avatar_iv_v.digital_twin.hd',
        rate_card_version: 'heygen-payg-2026-06',
        hold_amount_micro_usd: 1_000_500,
        charged_amount_micro_usd: 667_000,
        charged_usd: '0.667',
      },
    });
    expect(done.data.video_url).toMatch(/^https:\/\/.+\.mp4$/);
    expect(done.data.thumbnail_url).toMatch(/^https:\/\/.+\.jpg$/);
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 667_000n,
      available_micro_usd: FUNDED_MICRO_USD - 667_000n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a render that fails ([simulate:fail]) voids the hold and costs nothing', async () => {
    const body = { ...TWIN_1080P, script: `Please [simulate:fail] now. ${SCRIPT_150_CHARS}` };
    const { video_id } = (await submit(t.app, t.ada, body)).json().data;
    await drainWorker(t.ctx);
    const failed = (await getVideo(t.app, t.ada, video_id)).json();
    expectHeygenShape('get_v3_videos_video_id.yaml', failed);
    expect(failed.data).toMatchObject({
      status: 'failed',
      failure_code: 'render_failed',
      video_url: null,
      billing: { charged_amount_micro_usd: 0 },
    });
    expect(failed.data.failure_message).toContain('[simulate:fail]');
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      available_micro_usd: FUNDED_MICRO_USD,
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a test video holds nothing, is still rendered and is charged 0', async () => {
    const { video_id } = (await submit(t.app, t.ada, { ...TWIN_1080P, test: true })).json().data;
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
    await drainWorker(t.ctx);
    const done = (await getVideo(t.app, t.ada, video_id)).json().data;
    expect(done).toMatchObject({ status: 'completed', duration: 10 });
    expect(done.billing).toMatchObject({
      test: true,
      hold_amount_micro_usd: 0,
      charged_amount_micro_usd: 0,
    });
    expect(done.video_url).not.toBeNull();
    expect((await balanceOf(t.ctx, t.ada)).available_micro_usd).toBe(FUNDED_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('finishing a job twice (a duplicate completion) charges it once', async () => {
    const { video_id } = (await submit(t.app, t.ada, TWIN_1080P)).json().data;
    await runJobWorkerTick(t.ctx);
    const stale = { ...(await jobRow(t.ctx, video_id)), status: 'processing' };
    const result = {
      outcome: 'completed' as const,
      duration_ms: 10_000n,
      video_url: 'https://example.test/v.mp4',
      thumbnail_url: 'https://example.test/v.jpg',
      gif_url: 'https://example.test/v.gif',
      captioned_video_url: null,
      subtitle_url: null,
    };
    // The worker already finished it; a stale copy of the job settles again at the same amount.
    await t.ctx.committer.run((tx) => finishJob(tx, stale, result));
    expect(await t.ctx.committer.run((tx) => finishDueJob(tx, video_id))).toBe(false);
    expect((await jobRow(t.ctx, video_id)).charged_amount_micro_usd).toBe(667_000n);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(667_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('two worker ticks at once (two gateway nodes) move every job exactly once', async () => {
    for (let index = 0; index < 5; index++)
      expect((await submit(t.app, t.ada, TWIN_1080P)).statusCode).toBe(200);
    const moved = await Promise.all([runJobWorkerTick(t.ctx), runJobWorkerTick(t.ctx)]);
    expect(moved[0] + moved[1] + (await drainWorker(t.ctx))).toBe(10);
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(5n * 667_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('an output longer than the hold is still charged in full (overrun) within the overdraft limit, taking available below zero', async () => {
    const poor = await createCustomer(t.ctx, {
      username: 'poor',
      paid_micro_usd: 1_100_000n,
      overdraft_limit_micro_usd: 500_000n,
    });
    const { video_id } = (await submit(t.app, poor, TWIN_1080P)).json().data;
    await withTransaction(t.ctx, (tx) => claimPendingJobs(tx, { limit: 10 }));
    const job = await jobRow(t.ctx, video_id);
    // The simulator never overruns; an engine reporting 20 s of output (estimate 15 s) does.
    const long = {
      outcome: 'completed' as const,
      duration_ms: 20_000n,
      video_url: 'https://e.test/v.mp4',
      thumbnail_url: 'https://e.test/v.jpg',
      gif_url: 'https://e.test/v.gif',
      captioned_video_url: null,
      subtitle_url: null,
    };
    await t.ctx.committer.run((tx) => finishJob(tx, job, long));
    expect(await balanceOf(t.ctx, poor)).toMatchObject({
      settled_micro_usd: 1_334_000n,
      available_micro_usd: -234_000n,
    });
    expect((await submit(t.app, poor, TWIN_1080P)).statusCode).toBe(402);
    await expectLedgerBalanced(t.ctx);
  });

  it('a retried POST with the same Idempotency-Key replays the first response and admits one job', async () => {
    const headers = { ...t.ada.headers, 'idempotency-key': 'retry-1' };
    const post = () =>
      t.app.inject({ method: 'POST', url: '/v3/videos', headers, payload: TWIN_1080P });
    const first = await post();
    const second = await post();
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    const jobs = await t.ctx.db.selectFrom('jobs').select('id').execute();
    expect(jobs).toHaveLength(1);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(1_000_500n);
    await expectLedgerBalanced(t.ctx);
  });
});
