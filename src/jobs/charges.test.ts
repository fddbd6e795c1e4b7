import { describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { makeUsageBased } from '../../test/usage-based.ts';
import { drainWorker, PHOTO_720P, PHOTO_720P_CHARGE_MICRO_USD } from '../../test/videos.ts';
import type { Credential } from '../billing/pools.ts';
import { withTransaction } from '../context.ts';
import { usageByProductDay } from '../dashboard/usage.ts';
import { marginReport } from '../engines/margin.ts';
import { subscribe } from '../plans/subscriptions.ts';
import { countCharges, listCharges, revenueByProductDay } from './charges.ts';
import { submitVideo } from './submit.ts';

const OAUTH: Credential = { kind: 'oauth', user_id: 'user_1', client_id: 'client_1' };
const UPSTREAM_COST_MICRO_USD = 100_000n;

describe.each(dialects)('USD charge reports on %s', (dialect) => {
  const t = useTestContext(dialect);

  const submit = (customer: Customer, credential: Credential | null) =>
    submitVideo(t.ctx, {
      account_id: customer.account_id,
      input: PHOTO_720P as never,
      credential,
    });

  /** One job per billing pool, all settled: wallet (ada), web plan (ada), usage-based (bob). */
  async function oneJobPerPool() {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n });
    await withTransaction(t.ctx, (tx) =>
      subscribe(tx, { account_id: ada.account_id, plan_id: 'creator' }),
    );
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    await makeUsageBased(t.ctx, bob);
    const wallet = await submit(ada, null);
    const webPlan = await submit(ada, OAUTH);
    const usageBased = await submit(bob, null);
    expect([wallet, webPlan, usageBased].map((job) => job.billing_pool)).toEqual([
      'wallet',
      'web_plan',
      'usage_based',
    ]);
    await drainWorker(t.ctx);
    return { ada, bob, wallet, webPlan, usageBased };
  }
  const everything = () => ({
    from_ms: 0n,
    to_ms: t.ctx.clock.now_ms() + 86_400_000n,
    account_id: null,
  });

  it('the charge list, its count and revenue per day count wallet and usage-based jobs, never a web-plan job', async () => {
    const { wallet, usageBased } = await oneJobPerPool();
    const charges = await listCharges(t.ctx.db, { ...everything(), after: null, limit: 100 });
    expect(charges.map((charge) => charge.job_id).sort()).toEqual(
      [wallet.id, usageBased.id].sort(),
    );
    expect(await countCharges(t.ctx.db, everything())).toBe(2);
    const days = await revenueByProductDay(t.ctx.db, everything());
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({
      product: 'avatar_video',
      charge_count: 2n,
      charged_amount_micro_usd: 2n * PHOTO_720P_CHARGE_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it("the dashboard's usage chart of an account shows its USD charges and not its web-plan jobs", async () => {
    const { ada } = await oneJobPerPool();
    const usage = await usageByProductDay(t.ctx.db, {
      ...everything(),
      account_id: ada.account_id,
      time_zone: 'UTC',
    });
    expect(usage.days).toHaveLength(1);
    expect(usage.days[0]).toMatchObject({
      charge_count: 1,
      charged_amount_micro_usd: PHOTO_720P_CHARGE_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('the margin report sets USD charges against upstream cost and leaves web-plan jobs out', async () => {
    const { ada, bob, wallet, webPlan, usageBased } = await oneJobPerPool();
    // Stand in for a resale engine: each job's upstream cost as the engine would record it.
    const now_ms = t.ctx.clock.now_ms();
    for (const job of [wallet, webPlan, usageBased]) {
      await t.ctx.db
        .insertInto('engine_jobs')
        .values({
          job_id: job.id,
          engine: 'heygen',
          upstream_id: `up_${job.id}`,
          progress: 100n,
          started_at_ms: now_ms,
          last_heard_at_ms: now_ms,
          failures: 0n,
          upstream_status: 'completed',
          upstream_cost_micro_usd: UPSTREAM_COST_MICRO_USD,
          created_at_ms: now_ms,
          updated_at_ms: now_ms,
        })
        .onConflict((oc) =>
          oc.column('job_id').doUpdateSet({ upstream_cost_micro_usd: UPSTREAM_COST_MICRO_USD }),
        )
        .execute();
    }
    const rows = await marginReport(t.ctx.db, everything());
    expect(rows.map((row) => [row.account_id, row.job_count]).sort()).toEqual(
      [
        [ada.account_id, 1n],
        [bob.account_id, 1n],
      ].sort(),
    );
    for (const row of rows) {
      expect(row).toMatchObject({
        charged_amount_micro_usd: PHOTO_720P_CHARGE_MICRO_USD,
        upstream_cost_micro_usd: UPSTREAM_COST_MICRO_USD,
        margin_micro_usd: PHOTO_720P_CHARGE_MICRO_USD - UPSTREAM_COST_MICRO_USD,
      });
    }
    await expectLedgerBalanced(t.ctx);
  });
});
