import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type HeldIdempotencyKey,
  hashRequest,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from './idempotency.ts';

describe.each(dialects)('idempotency keys on %s', (dialect) => {
  const t = useTestContext(dialect);

  const ref = { scope: 'acct_1 POST /v3/videos {}', key: 'k-1' };
  let held: HeldIdempotencyKey;
  const claim = async (body: unknown, scope = ref.scope, owner_node_id = 'node_a') => {
    const outcome = await claimIdempotencyKey(t.ctx, {
      scope,
      key: ref.key,
      request_hash: hashRequest(body),
      owner_node_id,
    });
    if (outcome.outcome === 'claimed') held = outcome.held;
    return outcome;
  };
  const complete = (status: number, body: string) =>
    completeIdempotencyKey(t.ctx, { ...held, response_status: status, response_body: body });
  const lease_ms = () => t.ctx.config.limits.idempotency_lease_ms;

  it('the request hash ignores key order but not values', () => {
    expect(hashRequest({ a: 1, b: { c: 2, d: 3 } })).toBe(hashRequest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(hashRequest({ a: 1 })).not.toBe(hashRequest({ a: 2 }));
    expect(hashRequest(undefined)).toBe(hashRequest(null));
  });

  it('a completed key replays its stored status and body verbatim', async () => {
    expect(await claim({ a: 1 })).toMatchObject({ outcome: 'claimed', taken_over: false });
    await complete(201, '{"data":{"id":"x"}}');
    expect(await claim({ a: 1 })).toEqual({
      outcome: 'replay',
      response_status: 201,
      response_body: '{"data":{"id":"x"}}',
    });
  });

  it('the same key with another body is idempotency_key_reused, even while in flight', async () => {
    await claim({ a: 1 });
    await expect(claim({ a: 2 })).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    await complete(200, '{}');
    await expect(claim({ a: 2 })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
      param: 'Idempotency-Key',
    });
  });

  it('a retry while the first request is in flight is request_in_progress', async () => {
    await claim({ a: 1 });
    await expect(claim({ a: 1 })).rejects.toMatchObject({ code: 'request_in_progress' });
  });

  it('of concurrent first claims exactly one runs', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => claim({ a: 1 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toMatchObject({ code: 'request_in_progress' });
      }
    }
  });

  it('a released key runs again, and a released key is not replayed', async () => {
    await claim({ a: 1 });
    await releaseIdempotencyKey(t.ctx, held);
    expect(await claim({ a: 2 })).toMatchObject({ outcome: 'claimed' });
  });

  it('the same key in another scope is independent', async () => {
    await claim({ a: 1 });
    expect(await claim({ a: 2 }, 'acct_2 POST /v3/videos {}')).toMatchObject({
      outcome: 'claimed',
    });
  });

  it('after the TTL a key is replaced: a new body runs instead of being refused', async () => {
    await claim({ a: 1 });
    await complete(200, '{"old":true}');
    t.ctx.clock.advance(t.ctx.config.limits.idempotency_ttl_ms - 1n);
    await expect(claim({ a: 2 })).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    t.ctx.clock.advance(1n);
    expect(await claim({ a: 2 })).toMatchObject({ outcome: 'claimed' });
    await complete(200, '{"new":true}');
    expect(await claim({ a: 2 })).toMatchObject({ response_body: '{"new":true}' });
  });

  it('the purge deletes expired keys only', async () => {
    await claim({ a: 1 });
    t.ctx.clock.advance(t.ctx.config.limits.idempotency_ttl_ms);
    await claimIdempotencyKey(t.ctx, {
      ...ref,
      key: 'k-2',
      request_hash: hashRequest(null),
      owner_node_id: 'node_a',
    });
    expect(await purgeExpiredIdempotencyKeys(t.ctx)).toBe(1);
    expect(await purgeExpiredIdempotencyKeys(t.ctx)).toBe(0);
    const left = await t.ctx.db.selectFrom('idempotency_keys').select('key').execute();
    expect(left.map((row) => row.key)).toEqual(['k-2']);
  });

  it('a key in flight within its lease is request_in_progress, even for another node', async () => {
    await claim({ a: 1 });
    t.ctx.clock.advance(lease_ms() - 1n);
    await expect(claim({ a: 1 }, ref.scope, 'node_b')).rejects.toMatchObject({
      code: 'request_in_progress',
    });
  });

  it('a key left in flight past its lease (owner gone) is taken over by a retry', async () => {
    await claim({ a: 1 }, ref.scope, 'node_dead');
    const dead = held;
    t.ctx.clock.advance(lease_ms());
    expect(await claim({ a: 1 }, ref.scope, 'node_b')).toMatchObject({
      outcome: 'claimed',
      taken_over: true,
    });
    expect(held.claim_id).not.toBe(dead.claim_id);
    const row = await t.ctx.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_node_id: 'node_b', claim_id: held.claim_id });
  });

  it('the dead claim can neither store nor release a key taken over from it', async () => {
    await claim({ a: 1 });
    const dead = held;
    t.ctx.clock.advance(lease_ms());
    await claim({ a: 1 });
    const late = { ...dead, response_status: 200, response_body: '{"late":true}' };
    expect(await completeIdempotencyKey(t.ctx, late)).toBe(false);
    await releaseIdempotencyKey(t.ctx, dead);
    expect(await complete(200, '{"retry":true}')).toBe(true);
    expect(await claim({ a: 1 })).toMatchObject({ response_body: '{"retry":true}' });
  });

  it('a stale key in flight is not taken over by a different request', async () => {
    await claim({ a: 1 });
    t.ctx.clock.advance(lease_ms());
    await expect(claim({ a: 2 })).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('a completed key is replayed, never taken over, after its lease', async () => {
    await claim({ a: 1 });
    await complete(200, '{"once":true}');
    t.ctx.clock.advance(lease_ms() * 10n);
    expect(await claim({ a: 1 })).toMatchObject({ outcome: 'replay' });
  });

  it('of concurrent retries of a stale key exactly one takes it over', async () => {
    await claim({ a: 1 }, ref.scope, 'node_dead');
    t.ctx.clock.advance(lease_ms());
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) => claim({ a: 1 }, ref.scope, `node_${index}`)),
    );
    const claimed = results.filter((r) => r.status === 'fulfilled');
    expect(claimed).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toMatchObject({ code: 'request_in_progress' });
      }
    }
  });
});
