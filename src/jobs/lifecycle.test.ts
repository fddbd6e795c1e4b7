import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../test/harness.ts';
import { jobRow } from '../../test/videos.ts';
import { withTransaction } from '../context.ts';
import type { JobRow } from './jobs.table.ts';
import {
  ADMITTED_STATUSES,
  IN_FLIGHT_STATUSES,
  isInFlight,
  isLegalTransition,
  isSynchronous,
  JOB_KINDS,
  LIFECYCLES,
  RUNNING_STATUSES,
  SLOT_STATUSES,
  transitionJob,
  transitionJobs,
} from './lifecycle.ts';
import { submitVideo } from './submit.ts';

describe('the transition table', () => {
  it.each([
    ['video', 'pending', 'processing'],
    ['video', 'processing', 'completed'],
    ['video', 'processing', 'failed'],
    ['video', 'pending', 'failed'],
    ['video', 'pending', 'cancelled'],
    ['lipsync', 'pending', 'running'],
    ['lipsync', 'running', 'completed'],
    ['agent', 'thinking', 'waiting_for_input'],
    ['agent', 'reviewing', 'generating'],
    ['agent', 'generating', 'waiting_for_input'],
    ['agent', 'waiting_for_input', 'completed'],
    ['agent_video', 'pending', 'processing'],
  ])('lets a %s move from %s to %s', (kind, from, to) => {
    expect(isLegalTransition(kind, from, to)).toBe(true);
  });

  it.each([
    ['video', 'completed', 'failed'],
    ['video', 'failed', 'completed'],
    ['video', 'cancelled', 'pending'],
    ['video', 'pending', 'completed'],
    ['video', 'pending', 'running'],
    ['lipsync', 'pending', 'processing'],
    ['lipsync', 'completed', 'running'],
    ['agent', 'waiting_for_input', 'generating'],
    ['agent', 'completed', 'thinking'],
  ])('refuses a %s moving from %s to %s', (kind, from, to) => {
    expect(isLegalTransition(kind, from, to)).toBe(false);
  });

  it('gives every asynchronous kind reachable roles: admitted → running → completed | failed, and cancel', () => {
    for (const kind of JOB_KINDS.filter((candidate) => !isSynchronous(candidate))) {
      const life = LIFECYCLES[kind];
      const transitions: Record<string, readonly string[]> = life.transitions;
      expect(transitions[life.admitted], kind).toContain(life.running);
      expect(transitions[life.running], kind).toEqual(
        expect.arrayContaining([life.completed, life.failed, life.cancelled]),
      );
      for (const final of [life.completed, life.failed, life.cancelled]) {
        expect(transitions[final], `${kind} ${final} is final`).toEqual([]);
        expect(isInFlight(kind, final)).toBe(false);
      }
      expect(isInFlight(kind, life.admitted)).toBe(true);
      expect(IN_FLIGHT_STATUSES).toContain(life.running);
    }
  });

  it('has the worker claim and finish every kind but sessions (their videos move them) and synchronous speech', () => {
    for (const kind of JOB_KINDS) {
      const life: { admitted: string; running: string; worker?: boolean } = LIFECYCLES[kind];
      const byWorker = life.worker !== false && !isSynchronous(kind);
      expect(ADMITTED_STATUSES.includes(life.admitted as never), kind).toBe(byWorker);
      expect(RUNNING_STATUSES.includes(life.running as never), kind).toBe(byWorker);
    }
    expect(LIFECYCLES.agent.worker).toBe(false);
  });

  it('keeps a synchronous kind (speech) away from the worker and the concurrency limit', () => {
    const life = LIFECYCLES.speech;
    expect(isSynchronous('speech')).toBe(true);
    expect(isLegalTransition('speech', life.admitted, life.completed)).toBe(true);
    expect(isLegalTransition('speech', life.admitted, life.failed)).toBe(true);
    expect(isInFlight('speech', life.admitted)).toBe(true);
    // The expiry sweep still fails a speech job whose hold expired; nothing else sees it.
    expect(IN_FLIGHT_STATUSES).toContain(life.admitted);
    expect(SLOT_STATUSES).not.toContain(life.admitted);
    expect(ADMITTED_STATUSES).not.toContain(life.admitted);
    expect(RUNNING_STATUSES).not.toContain(life.running);
  });

  it('counts no final status of any kind as in flight', () => {
    for (const status of ['completed', 'failed', 'cancelled']) {
      expect(IN_FLIGHT_STATUSES).not.toContain(status);
    }
  });
});

describe.each(dialects)('transitionJob on %s', (dialect) => {
  let ctx: TestContext;
  let ada: Customer;
  let job: JobRow;

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    ada = await createCustomer(ctx, { paid_micro_usd: 5_000_000n });
    const input = { type: 'avatar' as const, avatar_id: 'look_twin_sofia', script: 'Hello.' };
    job = await submitVideo(ctx, { account_id: ada.account_id, input });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('an illegal transition throws and writes nothing', async () => {
    await expect(
      withTransaction(ctx, (tx) =>
        transitionJob(tx, { kind: 'video', job_id: job.id, from: 'pending', to: 'completed' }),
      ),
    ).rejects.toThrow(/pending → completed is legal/);
    expect((await jobRow(ctx, job.id)).status).toBe('pending');
  });

  it('a transition from a status the job is no longer in does not apply and writes nothing', async () => {
    const applied = await withTransaction(ctx, (tx) =>
      transitionJob(tx, {
        kind: 'video',
        job_id: job.id,
        from: 'processing',
        to: 'completed',
        set: { duration_ms: 1n },
      }),
    );
    expect(applied).toBe(false);
    expect(await jobRow(ctx, job.id)).toMatchObject({ status: 'pending', duration_ms: null });
  });

  it('a transition of another kind does not touch the job', async () => {
    const applied = await withTransaction(ctx, (tx) =>
      transitionJob(tx, { kind: 'lipsync', job_id: job.id, from: 'pending', to: 'running' }),
    );
    expect(applied).toBe(false);
    expect((await jobRow(ctx, job.id)).status).toBe('pending');
  });

  it('a transition of several jobs moves exactly those still in its status and returns their ids', async () => {
    const input = { type: 'avatar' as const, avatar_id: 'look_twin_sofia', script: 'Hello.' };
    const second = await submitVideo(ctx, { account_id: ada.account_id, input });
    const third = await submitVideo(ctx, { account_id: ada.account_id, input });
    await withTransaction(ctx, (tx) =>
      transitionJob(tx, { kind: 'video', job_id: third.id, from: 'pending', to: 'processing' }),
    );
    const moved = await withTransaction(ctx, (tx) =>
      transitionJobs(tx, {
        kind: 'video',
        job_ids: [job.id, second.id, third.id],
        from: 'pending',
        to: 'processing',
        set: { ready_at_ms: 7n },
      }),
    );
    expect(moved.sort()).toEqual([job.id, second.id].sort());
    expect(await jobRow(ctx, job.id)).toMatchObject({ status: 'processing', ready_at_ms: 7n });
    expect(await jobRow(ctx, second.id)).toMatchObject({ status: 'processing', ready_at_ms: 7n });
    const untouched = await jobRow(ctx, third.id);
    expect(untouched.status).toBe('processing');
    expect(untouched.ready_at_ms).not.toBe(7n);
    await expect(
      withTransaction(ctx, (tx) =>
        transitionJobs(tx, { kind: 'video', job_ids: [job.id], from: 'processing', to: 'pending' }),
      ),
    ).rejects.toThrow(/processing → pending is legal/);
    await expectLedgerBalanced(ctx);
  });

  it('of two racing writers from the same status, exactly one applies', async () => {
    const race = (to: 'processing' | 'cancelled') =>
      ctx.committer.run((tx) =>
        transitionJob(tx, {
          kind: 'video',
          job_id: job.id,
          from: 'pending',
          to,
          set: { failure_code: to },
        }),
      );
    const results = await Promise.all([race('processing'), race('cancelled')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const row = await jobRow(ctx, job.id);
    const winner = results[0] ? 'processing' : 'cancelled';
    expect(row).toMatchObject({ status: winner, failure_code: winner });
    await expectLedgerBalanced(ctx);
  });
});
