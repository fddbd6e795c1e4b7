import type { FastifyRequest } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { PHOTO_720P } from '../../test/videos.ts';
import { claimIdempotencyKey } from '../idempotency/idempotency.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { submitVideo } from '../jobs/submit.ts';
import { respondIdempotently } from './idempotent-write.ts';

describe.each(dialects)('idempotent money writes on %s', (dialect) => {
  let ctx: TestContext;
  let ada: Customer;
  const held = { scope: 'test POST /v3/videos', key: 'retry-1' };
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    ada = await createCustomer(ctx, { paid_micro_usd: 1_000_000n });
    await claimIdempotencyKey(ctx, { ...held, request_hash: 'h' });
  });
  afterEach(async () => {
    await expectLedgerBalanced(ctx);
    await ctx.close();
  });

  const storedKey = () =>
    ctx.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('key', '=', held.key)
      .executeTakeFirstOrThrow();
  // The request as the idempotency hook leaves it: holding its key, before any response is sent.
  const request = () => ({ idempotency_key: { ...held } }) as unknown as FastifyRequest;
  const render = (job: JobRow) => ({ data: { video_id: job.id } });

  it('the response is stored in the admission’s own commit, before any reply is sent', async () => {
    const body = await submitVideo(
      ctx,
      { account_id: ada.account_id, input: PHOTO_720P as never },
      respondIdempotently(request(), render),
    );
    const stored = await storedKey();
    expect(stored).toMatchObject({ state: 'done', response_status: 200n });
    expect(JSON.parse(stored.response_body!)).toEqual(body);
    const jobs = await ctx.db.selectFrom('jobs').select('id').execute();
    expect(jobs.map((job) => job.id)).toEqual([body.data.video_id]);
  });

  it('an admission that fails stores nothing with it: the key stays in flight for the hook', async () => {
    const poor = await createCustomer(ctx, { username: 'poor', paid_micro_usd: 1n });
    await expect(
      submitVideo(
        ctx,
        { account_id: poor.account_id, input: PHOTO_720P as never },
        respondIdempotently(request(), render),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_balance' });
    expect(await storedKey()).toMatchObject({ state: 'in_flight', response_body: null });
    expect(await ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });
});
