/**
 * Several stateless gateway nodes on one PostgreSQL: every limit (concurrency slots, holds, job
 * claims) lives in the database, so concurrent nodes never admit more than a wallet holds, never
 * exceed an account's slots, never finish a job twice, and a node that dies mid-job leaves
 * nothing stuck: another node finishes its jobs. Each test ends with the ledger reconciled.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { claimPendingJobs, runJobWorkerTick } from '../../src/jobs/worker.ts';
import { balanceOf, type Customer, createCustomer } from '../customers.ts';
import {
  createSiblingNode,
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../harness.ts';
import {
  PHOTO_720P,
  PHOTO_720P_CHARGE_MICRO_USD,
  PHOTO_720P_HOLD_MICRO_USD,
  submit,
} from '../videos.ts';

async function drainNodes(nodes: TestContext[], ticks_max = 50): Promise<void> {
  for (let tick = 0; tick < ticks_max; tick++) {
    const moved = await Promise.all(nodes.map((node) => runJobWorkerTick(node)));
    if (moved.every((count) => count === 0)) return;
  }
  throw new Error('the job workers still moved jobs');
}

const postgresOnly = dialects.includes('postgres') ? describe : describe.skip;

postgresOnly('two gateway nodes on one PostgreSQL', () => {
  let a: TestContext;
  let b: TestContext;
  let apps: FastifyInstance[];

  beforeEach(async () => {
    a = await createTestContext('postgres');
    b = createSiblingNode(a, 'b');
    apps = [buildServer(a), buildServer(b)];
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  const submitEverywhere = (customer: Customer, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => submit(apps[i % 2]!, customer, PHOTO_720P)),
    );

  it('concurrent submissions through both nodes never hold more than the wallet has', async () => {
    const ada = await createCustomer(a, { paid_micro_usd: 5_000_000n, concurrency_limit: 1_000 });
    const responses = await submitEverywhere(ada, 40);
    const admitted = responses.filter((res) => res.statusCode === 200).length;
    expect(admitted).toBe(6);
    expect(responses.filter((res) => res.statusCode === 402)).toHaveLength(34);
    expect((await balanceOf(a, ada)).held_micro_usd).toBe(6n * PHOTO_720P_HOLD_MICRO_USD);
    await drainNodes([a, b]);
    const balance = await balanceOf(b, ada);
    expect(balance).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 6n * PHOTO_720P_CHARGE_MICRO_USD,
    });
    expect(balance.available_micro_usd).toBe(5_000_000n - 6n * PHOTO_720P_CHARGE_MICRO_USD);
    await expectLedgerBalanced(a);
  });

  it('concurrent submissions through both nodes never exceed the account’s slots', async () => {
    const ada = await createCustomer(a, { paid_micro_usd: 50_000_000n, concurrency_limit: 3 });
    const responses = await submitEverywhere(ada, 12);
    expect(responses.filter((res) => res.statusCode === 200)).toHaveLength(3);
    expect(responses.filter((res) => res.statusCode === 429)).toHaveLength(9);
    await drainNodes([a, b]);
    await expectLedgerBalanced(a);
  });

  it('both nodes’ workers racing finish each job once and charge it once', async () => {
    const ada = await createCustomer(a, { paid_micro_usd: 50_000_000n, concurrency_limit: 1_000 });
    const responses = await submitEverywhere(ada, 20);
    expect(responses.every((res) => res.statusCode === 200)).toBe(true);
    await drainNodes([a, b]);
    const jobs = await a.db
      .selectFrom('jobs')
      .select(['status', 'charged_amount_micro_usd'])
      .execute();
    expect(jobs).toHaveLength(20);
    expect(
      jobs.every(
        (job) =>
          job.status === 'completed' &&
          job.charged_amount_micro_usd === PHOTO_720P_CHARGE_MICRO_USD,
      ),
    ).toBe(true);
    expect((await balanceOf(a, ada)).settled_micro_usd).toBe(20n * PHOTO_720P_CHARGE_MICRO_USD);
    await expectLedgerBalanced(a);
  });

  it('a node that dies with jobs in flight leaves nothing stuck: the other node finishes them', async () => {
    const ada = await createCustomer(a, { paid_micro_usd: 50_000_000n });
    const c = createSiblingNode(a, 'c');
    for (let i = 0; i < 3; i++)
      expect((await submit(buildServer(c), ada, PHOTO_720P)).statusCode).toBe(200);
    expect(await withTransaction(c, (tx) => claimPendingJobs(tx, { limit: 10 }))).toBe(3);
    await c.close();
    await drainNodes([b]);
    const jobs = await b.db.selectFrom('jobs').select('status').execute();
    expect(jobs.map((job) => job.status)).toEqual(['completed', 'completed', 'completed']);
    expect(await balanceOf(b, ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 3n * PHOTO_720P_CHARGE_MICRO_USD,
    });
    await expectLedgerBalanced(b);
  });
});
