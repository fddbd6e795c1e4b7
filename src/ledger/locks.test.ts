import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { PHOTO_720P } from '../../test/videos.ts';
import { type TxContext, toTxContext, withTransaction } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { expireJobHolds } from '../jobs/expire-holds.ts';
import { submitVideo } from '../jobs/submit.ts';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { claimPendingJobs, finishDueJob } from '../jobs/worker.ts';
import { holdFunds, settleHold } from '../wallets/holds.ts';
import { lockWallet } from '../wallets/wallet-parts.ts';
import { inLockOrder } from './locks.ts';

/** Long enough for the other transaction to reach the lock it waits for. */
const BLOCKED_WAIT_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lock order', () => {
  it('puts customer ledger accounts before operator accounts, each in id order', () => {
    expect(
      inLockOrder([
        'operator:revenue:usd_micro:1',
        'wallet:b:paid',
        'wallet:a:paid',
        'wallet:b:paid',
      ]),
    ).toEqual(['wallet:a:paid', 'wallet:b:paid', 'operator:revenue:usd_micro:1']);
  });
});

// Two connections with explicit transactions, paused between their steps: the interleavings that
// deadlocked when createTransfers locked revenue shards (`operator:…`) before wallets (`wallet:…`)
// and the expiry sweep locked ledger rows before jobs rows. SQLite has one writer: PostgreSQL only.
describe.each(dialects.filter((d) => d === 'postgres'))('lock order on %s', (dialect) => {
  let ctx: TestContext;
  let ada: Customer;

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    ada = await createCustomer(ctx, { paid_micro_usd: 10_000_000n });
  });

  afterEach(async () => {
    await expectLedgerBalanced(ctx);
    await ctx.close();
  });

  /** Runs `fn` in a transaction left open until `commit()`. */
  async function openTransaction() {
    const trx = await ctx.db.startTransaction().execute();
    const tx: TxContext = toTxContext(ctx, trx);
    return { tx, commit: () => trx.commit().execute() };
  }

  const admit = () =>
    submitVideo(ctx, { account_id: ada.account_id, input: PHOTO_720P as CreateVideoInput });

  it('an admission holding the wallet and a settlement of the same wallet both commit', async () => {
    const first = await admit();
    const admission = await openTransaction();
    // Admission's first ledger step: the wallet rows (holdFunds checks the balance under them).
    await lockWallet(admission.tx, ada.account_id);
    const settlement = await openTransaction();
    const settled = settleHold(settlement.tx, { hold_id: first.id, amount_micro_usd: 500_000n });
    await sleep(BLOCKED_WAIT_MS);
    // Then the hold itself, which also locks the revenue shard.
    await holdFunds(admission.tx, {
      account_id: ada.account_id,
      hold_id: 'second_job',
      amount_micro_usd: 750_000n,
      timeout_ms: 60_000n,
    });
    await admission.commit();
    expect(await settled).toBe('resolved');
    await settlement.commit();
    await withTransaction(ctx, (tx) =>
      settleHold(tx, { hold_id: 'second_job', amount_micro_usd: 0n }),
    );
  });

  it('the expiry sweep and a worker finishing the same job both commit', async () => {
    const job = await admit();
    await withTransaction(ctx, (tx) => claimPendingJobs(tx, { limit: 10 }));
    ctx.clock.advance(ctx.config.limits.hold_ttl_ms + 1n);
    const worker = await openTransaction();
    // The worker's first step: the job row.
    const query = worker.tx.db.selectFrom('jobs').select('id').where('id', '=', job.id);
    await lockRowsForUpdate(dialect, query).execute();
    const sweep = await openTransaction();
    const swept = expireJobHolds(sweep.tx, { limit: 10 });
    await sleep(BLOCKED_WAIT_MS);
    // Then the settlement, which finds the hold expired and releases it.
    expect(await finishDueJob(worker.tx, job.id)).toBe(true);
    await worker.commit();
    expect(await swept).toBe(0);
    await sweep.commit();
    const row = await ctx.db
      .selectFrom('jobs')
      .select(['status', 'failure_code'])
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', failure_code: 'hold_expired' });
  });
});

describe.each(dialects)('group commit retries on %s', (dialect) => {
  const t = useTestContext(dialect);
  afterEach(async () => {
    await expectLedgerBalanced(t.ctx);
  });

  const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

  it('a unit that hits a deadlock runs again and its caller gets its value', async () => {
    let runs = 0;
    const value = await t.ctx.committer.run(async (tx) => {
      runs++;
      await sql`select 1`.execute(tx.db);
      if (runs === 1) throw deadlock();
      return 'done';
    });
    expect({ value, runs }).toEqual({ value: 'done', runs: 2 });
  });

  it('a unit that keeps hitting deadlocks reruns its batch, and the other units commit once', async () => {
    let flakyRuns = 0;
    const writes: string[] = [];
    const steady = t.ctx.committer.run(async (tx) => {
      await sql`insert into settings (key, value) values ('steady', 'x')`.execute(tx.db);
      writes.push('steady');
      return 'steady';
    });
    const flaky = t.ctx.committer.run(async () => {
      flakyRuns++;
      if (flakyRuns <= 3) throw deadlock();
      return 'flaky';
    });
    expect(await Promise.all([steady, flaky])).toEqual(['steady', 'flaky']);
    expect(flakyRuns).toBe(4);
    const rows = await t.ctx.db
      .selectFrom('settings')
      .selectAll()
      .where('key', '=', 'steady')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('an error that is not retryable is its unit’s outcome alone, on the first run', async () => {
    let runs = 0;
    const failing = t.ctx.committer.run(async () => {
      runs++;
      throw new Error('not retryable');
    });
    await expect(failing).rejects.toThrow('not retryable');
    expect(runs).toBe(1);
  });
});
