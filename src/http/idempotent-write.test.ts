import type { FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { PHOTO_720P, PHOTO_720P_HOLD_MICRO_USD } from '../../test/videos.ts';
import { claimIdempotencyKey, hashRequest } from '../idempotency/idempotency.ts';
import { admitJob, prepareAdmission } from '../jobs/submit.ts';
import { VIDEO_PRODUCT } from '../products/video.ts';
import { assert } from '../shared/assert.ts';
import { getWalletBalance } from '../wallets/balance.ts';
import { idempotentWrite } from './idempotent-write.ts';

/**
 * A request cut off by a crash: its key is claimed by a node that then dies (no response, no
 * release), exactly what `kill -9` between the claim and the commit leaves behind.
 */
describe.each(dialects)('keys left in flight by a crash, on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 10_000_000n } });
  afterEach(async () => {
    await expectLedgerBalanced(t.ctx);
  });

  const KEY = 'cut-off-1';
  const post = () =>
    t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: { ...t.ada.headers, 'idempotency-key': KEY },
      payload: PHOTO_720P,
    });
  const claimAsDeadNode = () =>
    claimIdempotencyKey(t.ctx, {
      scope: `${t.ada.account_id} POST /v3/videos {}`,
      key: KEY,
      request_hash: hashRequest(PHOTO_720P),
      owner_node_id: 'node_dead',
    });
  const jobCount = async () => (await t.ctx.db.selectFrom('jobs').select('id').execute()).length;
  const lease_ms = () => t.ctx.config.limits.idempotency_lease_ms;

  it('a key left in flight by a dead owner is taken over after the lease and runs once', async () => {
    expect(await claimAsDeadNode()).toMatchObject({ outcome: 'claimed' });
    t.ctx.clock.advance(lease_ms());
    const retry = await post();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const again = await post();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(retry.body);
    expect(await jobCount()).toBe(1);
    const balance = await getWalletBalance(t.ctx.db, t.ada.account_id);
    expect(balance.held_micro_usd).toBe(PHOTO_720P_HOLD_MICRO_USD);
  });

  it('a key in flight by a live owner (within its lease) is still 409 and runs nothing', async () => {
    await claimAsDeadNode();
    t.ctx.clock.advance(lease_ms() - 1n);
    const retry = await post();
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toMatchObject({
      code: 'request_in_progress',
      param: 'Idempotency-Key',
    });
    expect(await jobCount()).toBe(0);
  });

  it('of two concurrent retries of a stale key exactly one runs', async () => {
    await claimAsDeadNode();
    t.ctx.clock.advance(lease_ms());
    const results = await Promise.all([post(), post(), post()]);
    const ran = results.filter(
      (res) => res.statusCode === 200 && res.headers['idempotent-replayed'] === undefined,
    );
    expect(ran).toHaveLength(1);
    for (const res of results) {
      if (res !== ran[0]) expect([200, 409]).toContain(res.statusCode);
    }
    expect(await jobCount()).toBe(1);
    const replay = await post();
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('a write that outlived its lease rolls back once a retry took its key over', async () => {
    const slow = await claimAsDeadNode();
    assert(slow.outcome === 'claimed', 'the first claim holds the key');
    t.ctx.clock.advance(lease_ms());
    expect(await claimAsDeadNode()).toMatchObject({ outcome: 'claimed', taken_over: true });
    // The slow request reaches its commit only now, still holding its old claim.
    const request = { idempotency_key: slow.held } as unknown as FastifyRequest;
    const admission = await prepareAdmission(t.ctx, VIDEO_PRODUCT, {
      account_id: t.ada.account_id,
      input: PHOTO_720P as never,
    });
    const write = idempotentWrite(t.ctx, request, {
      write: (tx) => admitJob(tx, admission),
      render: (job) => ({ data: { video_id: job.id } }),
    });
    await expect(write).rejects.toMatchObject({ code: 'request_in_progress' });
    expect(await jobCount()).toBe(0);
    expect((await getWalletBalance(t.ctx.db, t.ada.account_id)).held_micro_usd).toBe(0n);
  });

  it('without a key the write runs and nothing is stored', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: t.ada.headers,
      payload: PHOTO_720P,
    });
    expect(res.statusCode).toBe(200);
    expect(await jobCount()).toBe(1);
    expect(await t.ctx.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
  });
});
