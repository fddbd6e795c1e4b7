import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import {
  drainWorker,
  jobRow,
  PHOTO_720P,
  PHOTO_720P_CHARGE_MICRO_USD,
  submit,
} from '../../test/videos.ts';
import { withTransaction } from '../context.ts';
import { listAccountEvents } from '../events/events.ts';
import { getWalletBalance } from '../wallets/balance.ts';
import { listGrants } from '../wallets/grant-list.ts';
import { readHeldParts } from '../wallets/holds.ts';
import { outcomeOf } from '../webhooks/job-events.ts';
import { deleteVideo } from './cancel.ts';
import { claimPendingJobs, finishDueJob } from './worker.ts';

describe.each(dialects)('settling jobs on %s', (dialect) => {
  const t = useServer(dialect, { customer: { username: 'ada', paid_micro_usd: 10_000_000n } });

  async function outcomeEvents(account_id: string) {
    const events = await listAccountEvents(t.ctx.db, account_id, { limit: 100, after: null });
    return new Map(events.map((event) => [event.entity_id, event]));
  }

  it('the outcome event of a finished job is the one its stored row gives, without reading it back', async () => {
    const ok = await submit(t.app, t.ada, { ...PHOTO_720P, callback_id: 'cb-1' });
    const failing = { ...PHOTO_720P, script: `${PHOTO_720P.script} [simulate:fail]` };
    const bad = await submit(t.app, t.ada, failing);
    await drainWorker(t.ctx);
    const events = await outcomeEvents(t.ada.account_id);
    for (const [res, success] of [
      [ok, true],
      [bad, false],
    ] as const) {
      const row = await jobRow(t.ctx, res.json().data.video_id);
      expect(row.status).toBe(success ? 'completed' : 'failed');
      const expected = outcomeOf(row, success, row.callback_id);
      const event = events.get(row.id)!;
      expect(event.type).toBe(expected!.type);
      expect(event.payload).toEqual(JSON.parse(JSON.stringify(expected!.event_data)));
    }
    expect(events.get(ok.json().data.video_id)!.payload).toMatchObject({
      callback_id: 'cb-1',
      duration: 10,
      url: expect.stringMatching(/^https?:/),
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a tick settles holds spanning grants from parts read up front, and closes the grant it used up', async () => {
    const bea = await createCustomer(t.ctx, {
      username: 'bea',
      promotional_micro_usd: 300_000n,
      paid_micro_usd: 2_000_000n,
    });
    const jobs = [await submit(t.app, bea, PHOTO_720P), await submit(t.app, bea, PHOTO_720P)];
    expect(jobs.map((res) => res.statusCode)).toEqual([200, 200]);
    await drainWorker(t.ctx);
    for (const res of jobs) {
      expect((await jobRow(t.ctx, res.json().data.video_id)).status).toBe('completed');
    }
    const balance = await getWalletBalance(t.ctx.db, bea.account_id);
    expect(balance).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 2n * PHOTO_720P_CHARGE_MICRO_USD,
      available_micro_usd: 2_300_000n - 2n * PHOTO_720P_CHARGE_MICRO_USD,
    });
    const grants = await listGrants(t.ctx, { account_id: bea.account_id, limit: 10, after: null });
    expect(grants.map((grant) => [grant.kind, grant.status]).sort()).toEqual([
      ['paid', 'open'],
      ['promotional', 'closed'],
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a job cancelled after its hold was read up front is neither finished nor charged again', async () => {
    const res = await submit(t.app, t.ada, PHOTO_720P);
    const video_id = res.json().data.video_id as string;
    await withTransaction(t.ctx, (tx) => claimPendingJobs(tx, { limit: 10 }));
    t.ctx.clock.advance(3_600_000n);
    const parts = (await readHeldParts(t.ctx.db, [video_id])).get(video_id);
    expect(parts?.length).toBe(1);
    const before = await getWalletBalance(t.ctx.db, t.ada.account_id);
    await deleteVideo(t.ctx, { account_id: t.ada.account_id, job_id: video_id });
    const released = await getWalletBalance(t.ctx.db, t.ada.account_id);
    expect(released.held_micro_usd).toBe(before.held_micro_usd - parts![0]!.amount);
    const finished = await t.ctx.committer.run((tx) =>
      finishDueJob(tx, video_id, { wallet_parts: parts }),
    );
    expect(finished).toBe(false);
    expect((await jobRow(t.ctx, video_id)).status).toBe('cancelled');
    expect(await getWalletBalance(t.ctx.db, t.ada.account_id)).toEqual(released);
    expect((await outcomeEvents(t.ada.account_id)).has(video_id)).toBe(false);
    await expectLedgerBalanced(t.ctx);
  });
});
