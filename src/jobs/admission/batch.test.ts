import { describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { PHOTO_720P, PHOTO_720P_HOLD_MICRO_USD } from '../../../test/videos.ts';
import { withTransaction } from '../../context.ts';
import type { BatchHandler } from '../../db/group-commit.ts';
import { claimIdempotencyKey, completeHeldKeyInWrite } from '../../idempotency/idempotency.ts';
import { setKeySpendingLimit } from '../../key-limits/limits.ts';
import { VIDEO_PRODUCT } from '../../products/video.ts';
import { getWalletBalance } from '../../wallets/balance.ts';
import type { JobRow } from '../jobs.table.ts';
import { prepareAdmission } from '../submit.ts';
import type { CreateVideoInput } from '../video-input.ts';
import { ADMISSION_BATCH, type AdmissionItem } from './batch.ts';

/**
 * `ADMISSION_BATCH`, recording every run the committer gives it: how the set-based path answered
 * each item (`ok`, `refused`, `alone`), or `threw`.
 */
function recordingBatch(): { handler: BatchHandler<AdmissionItem, JobRow>; runs: string[][] } {
  const runs: string[][] = [];
  return {
    runs,
    handler: {
      runMany: async (tx, items) => {
        try {
          const outcomes = await ADMISSION_BATCH.runMany(tx, items);
          runs.push(outcomes.map((o) => ('alone' in o ? 'alone' : o.ok ? 'ok' : 'refused')));
          return outcomes;
        } catch (err) {
          runs.push(['threw']);
          throw err;
        }
      },
      runOne: ADMISSION_BATCH.runOne,
    },
  };
}

const codeOf = (result: PromiseSettledResult<JobRow>) =>
  result.status === 'fulfilled' ? 'ok' : (result.reason as { code?: string }).code;

describe.each(dialects)('batch-first admission on %s', (dialect) => {
  const t = useServer(dialect);

  const admissionOf = (customer: Customer, input: object = PHOTO_720P) =>
    prepareAdmission(t.ctx, VIDEO_PRODUCT, {
      account_id: customer.account_id,
      // The route's schema has checked the body's shape; the product parses it.
      input: input as CreateVideoInput,
      credential: { kind: 'api_key', api_key_id: customer.api_key_id },
    });

  /** Queues every item in the same tick, so the committer takes them as one run. */
  const admitTogether = async (
    handler: BatchHandler<AdmissionItem, JobRow>,
    customer: Customer,
    items: AdmissionItem[],
  ) =>
    Promise.allSettled(
      items.map((item) =>
        t.ctx.committer.batch(handler, item, { account_id: customer.account_id }),
      ),
    );

  const jobsOf = async (customer: Customer) =>
    t.ctx.db.selectFrom('jobs').selectAll().where('account_id', '=', customer.account_id).execute();

  it('one run decides every admission in queue order: refusals (balance, slot) write nothing and the others commit', async () => {
    // Two holds fit ($1.50 of $1.60), a third does not; three slots.
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 1_600_000n, concurrency_limit: 3 });
    const paid = await admissionOf(ada);
    const free = await admissionOf(ada, { ...PHOTO_720P, test: true });
    const { handler, runs } = recordingBatch();
    const results = await admitTogether(handler, ada, [
      { admission: paid },
      { admission: paid },
      { admission: paid },
      { admission: free },
      { admission: free },
    ]);
    expect(runs).toEqual([['ok', 'ok', 'refused', 'ok', 'refused']]);
    expect(results.map(codeOf)).toEqual([
      'ok',
      'ok',
      'insufficient_balance',
      'ok',
      'concurrency_limit_reached',
    ]);
    const jobs = await jobsOf(ada);
    expect(jobs.map((job) => job.id).sort()).toEqual(
      results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : [])).sort(),
    );
    expect(jobs.filter((job) => job.test === 1n)).toHaveLength(1);
    const balance = await getWalletBalance(t.ctx.db, ada.account_id);
    expect(balance.held_micro_usd).toBe(2n * PHOTO_720P_HOLD_MICRO_USD);
    expect(balance.available_micro_usd).toBe(100_000n);
    await expectLedgerBalanced(t.ctx);
  });

  it('two admissions of one wallet in one run that together exceed its balance: exactly one is admitted', async () => {
    const ada = await createCustomer(t.ctx, {
      paid_micro_usd: 500_000n,
      promotional_micro_usd: 500_000n,
    });
    const paid = await admissionOf(ada);
    const { handler, runs } = recordingBatch();
    const results = await admitTogether(handler, ada, [{ admission: paid }, { admission: paid }]);
    expect(runs).toEqual([['ok', 'refused']]);
    expect(results.map(codeOf)).toEqual(['ok', 'insufficient_balance']);
    const refused = results[1] as PromiseRejectedResult;
    expect(refused.reason.details).toMatchObject({
      required_micro_usd: PHOTO_720P_HOLD_MICRO_USD,
      available_micro_usd: 250_000n,
    });
    expect(await jobsOf(ada)).toHaveLength(1);
    // The one hold drew promotional credit first, then paid, as a hold alone does.
    const parts = await t.ctx.db
      .selectFrom('ledger_transfers')
      .select(['id', 'amount'])
      .where('reference', '=', (results[0] as PromiseFulfilledResult<JobRow>).value.id)
      .orderBy('id')
      .execute();
    expect(parts.map((p) => p.amount)).toEqual([500_000n, 250_000n]);
    await expectLedgerBalanced(t.ctx);
  });

  it('an after-write that throws rolls back only its own admission; the others commit with theirs', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n });
    const paid = await admissionOf(ada);
    const keys = ['k1', 'k2', 'k3'];
    const claims: string[] = [];
    for (const key of keys) {
      const claim = await claimIdempotencyKey(t.ctx, {
        scope: `${ada.account_id} test`,
        key,
        request_hash: 'h',
        owner_node_id: 'node_a',
      });
      if (claim.outcome !== 'claimed') throw new Error('the key is new');
      claims.push(claim.held.claim_id);
    }
    const after =
      (index: number) => async (tx: Parameters<typeof completeHeldKeyInWrite>[0], job: JobRow) => {
        if (index === 1) throw new Error('the response could not be stored');
        await completeHeldKeyInWrite(tx, {
          scope: `${ada.account_id} test`,
          key: keys[index]!,
          claim_id: claims[index]!,
          response_status: 200,
          response_body: job.id,
        });
      };
    const { handler, runs } = recordingBatch();
    const results = await admitTogether(
      handler,
      ada,
      keys.map((_, index) => ({ admission: paid, after: after(index) })),
    );
    // The run rolled back, then each admission ran alone (PostgreSQL: in its own transaction).
    expect(runs).toEqual([['threw']]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe(
      'the response could not be stored',
    );
    const jobs = await jobsOf(ada);
    expect(jobs).toHaveLength(2);
    const stored = await t.ctx.db
      .selectFrom('idempotency_keys')
      .select(['key', 'state', 'response_body'])
      .orderBy('key')
      .execute();
    expect(stored).toEqual([
      {
        key: 'k1',
        state: 'done',
        response_body: (results[0] as PromiseFulfilledResult<JobRow>).value.id,
      },
      { key: 'k2', state: 'in_flight', response_body: null },
      {
        key: 'k3',
        state: 'done',
        response_body: (results[2] as PromiseFulfilledResult<JobRow>).value.id,
      },
    ]);
    expect((await getWalletBalance(t.ctx.db, ada.account_id)).held_micro_usd).toBe(
      2n * PHOTO_720P_HOLD_MICRO_USD,
    );
    await expectLedgerBalanced(t.ctx);
  });

  it('concurrent POST /v3/videos with Idempotency-Keys commit with their responses, and each replay returns its stored response', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n });
    const post = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v3/videos',
        headers: { ...ada.headers, 'idempotency-key': key },
        payload: PHOTO_720P,
      });
    const keys = ['a', 'b', 'c', 'd'];
    const first = await Promise.all(keys.map(post));
    expect(first.map((res) => res.statusCode)).toEqual([200, 200, 200, 200]);
    const replays = await Promise.all(keys.map(post));
    replays.forEach((res, index) => {
      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body).toBe(first[index]!.body);
    });
    expect(new Set(first.map((res) => res.json().data.video_id)).size).toBe(4);
    expect(await jobsOf(ada)).toHaveLength(4);
    await expectLedgerBalanced(t.ctx);
  });

  it('an admission the set-based path does not cover (a key with a spending limit) runs alone and keeps its rule', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n });
    await withTransaction(t.ctx, (tx) =>
      setKeySpendingLimit(tx, {
        api_key_id: ada.api_key_id,
        window: 'day',
        amount_micro_usd: 1_000_000n,
      }),
    );
    const paid = await admissionOf(ada);
    const { handler, runs } = recordingBatch();
    const results = await admitTogether(handler, ada, [{ admission: paid }, { admission: paid }]);
    expect(runs).toEqual([['alone', 'alone']]);
    expect(results.map(codeOf)).toEqual(['ok', 'api_key_spending_limit_exceeded']);
    expect(await jobsOf(ada)).toHaveLength(1);
    await expectLedgerBalanced(t.ctx);
  });
});
