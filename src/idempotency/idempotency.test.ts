import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, dialects, type TestContext } from '../../test/harness.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  hashRequest,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from './idempotency.ts';

describe.each(dialects)('idempotency keys on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const held = { scope: 'acct_1 POST /v3/videos', key: 'k-1' };
  const claim = (body: unknown, scope = held.scope) =>
    claimIdempotencyKey(ctx, { scope, key: held.key, request_hash: hashRequest(body) });
  const complete = (status: number, body: string) =>
    completeIdempotencyKey(ctx, { ...held, response_status: status, response_body: body });

  it('the request hash ignores key order but not values', () => {
    expect(hashRequest({ a: 1, b: { c: 2, d: 3 } })).toBe(hashRequest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(hashRequest({ a: 1 })).not.toBe(hashRequest({ a: 2 }));
    expect(hashRequest(undefined)).toBe(hashRequest(null));
  });

  it('a completed key replays its stored status and body verbatim', async () => {
    expect(await claim({ a: 1 })).toEqual({ outcome: 'claimed' });
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
    await releaseIdempotencyKey(ctx, held);
    expect(await claim({ a: 2 })).toEqual({ outcome: 'claimed' });
  });

  it('the same key in another scope is independent', async () => {
    await claim({ a: 1 });
    expect(await claim({ a: 2 }, 'acct_2 POST /v3/videos')).toEqual({ outcome: 'claimed' });
  });

  it('after the TTL a key is replaced: a new body runs instead of being refused', async () => {
    await claim({ a: 1 });
    await complete(200, '{"old":true}');
    ctx.clock.advance(ctx.config.limits.idempotency_ttl_ms - 1n);
    await expect(claim({ a: 2 })).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    ctx.clock.advance(1n);
    expect(await claim({ a: 2 })).toEqual({ outcome: 'claimed' });
    await complete(200, '{"new":true}');
    expect(await claim({ a: 2 })).toMatchObject({ response_body: '{"new":true}' });
  });

  it('the purge deletes expired keys only', async () => {
    await claim({ a: 1 });
    ctx.clock.advance(ctx.config.limits.idempotency_ttl_ms);
    await claimIdempotencyKey(ctx, { ...held, key: 'k-2', request_hash: hashRequest(null) });
    expect(await purgeExpiredIdempotencyKeys(ctx)).toBe(1);
    expect(await purgeExpiredIdempotencyKeys(ctx)).toBe(0);
    const left = await ctx.db.selectFrom('idempotency_keys').select('key').execute();
    expect(left.map((row) => row.key)).toEqual(['k-2']);
  });
});
