import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { jobRow } from '../../test/videos.ts';
import { submitVideo } from './submit.ts';
import { startJobWorker } from './worker.ts';

describe.each(dialects)('the running job worker on %s', (dialect) => {
  let ctx: TestContext;
  let ada: Customer;

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    ada = await createCustomer(ctx, { paid_micro_usd: 5_000_000n });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('finishes submitted jobs on its own and stops after its current tick', async () => {
    const worker = startJobWorker(ctx);
    const input = {
      type: 'avatar' as const,
      avatar_id: 'look_twin_sofia',
      script: 'x'.repeat(150),
    };
    const jobs = await Promise.all(
      [1, 2, 3].map(() => submitVideo(ctx, { account_id: ada.account_id, input })),
    );
    await vi.waitFor(
      async () => {
        for (const job of jobs) expect((await jobRow(ctx, job.id)).status).toBe('completed');
      },
      { timeout: 5_000, interval: 20 },
    );
    await worker.stop();
    const late = await submitVideo(ctx, { account_id: ada.account_id, input });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await jobRow(ctx, late.id)).status).toBe('pending');
    await expectLedgerBalanced(ctx);
  });
});
