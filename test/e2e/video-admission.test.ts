import { describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced, type TestContext } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { useServer } from '../server-fixture.ts';
import {
  drainWorker,
  getVideo,
  PHOTO_720P,
  PHOTO_720P_CHARGE_MICRO_USD,
  PHOTO_720P_HOLD_MICRO_USD,
  submit,
} from '../videos.ts';

const transferCount = async (ctx: TestContext) =>
  (await ctx.db.selectFrom('ledger_transfers').select('id').execute()).length;

describe.each(dialects)('admission of video jobs on %s', (dialect) => {
  const t = useServer(dialect, { env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' } });

  it('the 11th job in flight gets 429 rate_limit_exceeded with Retry-After; a finished job frees its slot', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 100_000_000n });
    for (let index = 0; index < 10; index++) {
      expect((await submit(t.app, ada, PHOTO_720P)).statusCode).toBe(200);
    }
    await drainWorker(t.ctx); // all ten processing, due in 5 s
    t.ctx.clock.advance(1_000n);
    const refused = await submit(t.app, ada, PHOTO_720P);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('4');
    expect(refused.json().error).toMatchObject({ code: 'rate_limit_exceeded', param: null });
    expect((await balanceOf(t.ctx, ada)).held_micro_usd).toBe(10n * PHOTO_720P_HOLD_MICRO_USD);
    t.ctx.clock.advance(4_000n);
    await drainWorker(t.ctx);
    expect((await submit(t.app, ada, PHOTO_720P)).statusCode).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });

  it('a job the wallet cannot cover is 402 insufficient_credit stating both amounts, and writes nothing', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 700_000n });
    const transfersBefore = await transferCount(t.ctx);
    const refused = await submit(t.app, ada, PHOTO_720P);
    expect(refused.statusCode).toBe(402);
    const error = refused.json().error;
    expect(error.code).toBe('insufficient_credit');
    expect(error.message).toContain('$0.70');
    expect(error.message).toContain('$0.75');
    expect(await t.ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    expect(await transferCount(t.ctx)).toBe(transfersBefore);
    expect(await balanceOf(t.ctx, ada)).toMatchObject({
      available_micro_usd: 700_000n,
      held_micro_usd: 0n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('another account’s video is not found: read, delete and list are per account', async () => {
    const ada = await createCustomer(t.ctx, { username: 'ada', paid_micro_usd: 10_000_000n });
    const eve = await createCustomer(t.ctx, { username: 'eve', paid_micro_usd: 10_000_000n });
    const { video_id } = (await submit(t.app, ada, PHOTO_720P)).json().data;
    const read = await getVideo(t.app, eve, video_id);
    expect(read.statusCode).toBe(404);
    expect(read.json().error.code).toBe('not_found');
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/v3/videos/${video_id}`,
      headers: eve.headers,
    });
    expect(deleted.statusCode).toBe(404);
    const listed = await t.app.inject({ method: 'GET', url: '/v3/videos', headers: eve.headers });
    expectHeygenShape('get_v3_videos.yaml', listed.json());
    expect(listed.json()).toEqual({ data: [], has_more: false, next_token: null });
    expect((await getVideo(t.app, ada, video_id)).statusCode).toBe(200);
    expect((await balanceOf(t.ctx, ada)).held_micro_usd).toBe(PHOTO_720P_HOLD_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('50 concurrent submissions on one wallet never hold or spend more than it has', async () => {
    const funded = 10_000_000n;
    const ada = await createCustomer(t.ctx, { paid_micro_usd: funded, concurrency_limit: 100 });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => submit(t.app, ada, PHOTO_720P)),
    );
    const statuses = responses.map((res) => res.statusCode);
    const admitted = statuses.filter((status) => status === 200).length;
    // $10 covers 13 holds of $0.75; every other submission is refused with 402.
    expect(admitted).toBe(13);
    expect(statuses.filter((status) => status === 402)).toHaveLength(37);
    const held = await balanceOf(t.ctx, ada);
    expect(held.held_micro_usd).toBe(13n * PHOTO_720P_HOLD_MICRO_USD);
    expect(held.available_micro_usd).toBeGreaterThanOrEqual(0n);
    await drainWorker(t.ctx);
    t.ctx.clock.advance(5_000n);
    await drainWorker(t.ctx);
    const settled = await balanceOf(t.ctx, ada);
    expect(settled).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 13n * PHOTO_720P_CHARGE_MICRO_USD,
    });
    expect(settled.settled_micro_usd).toBeLessThanOrEqual(funded);
    expect(settled.available_micro_usd).toBe(funded - 13n * PHOTO_720P_CHARGE_MICRO_USD);
    const jobs = await t.ctx.db.selectFrom('jobs').select(['status']).execute();
    expect(jobs.map((job) => job.status)).toEqual(Array(13).fill('completed'));
    await expectLedgerBalanced(t.ctx);
  });
});
