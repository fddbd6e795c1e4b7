/**
 * The API-key cache (`db/cache/cache-hub.ts`): an active key is authenticated without reading
 * the database, and a revocation is effective at once on the node that made it, on another
 * PostgreSQL node as soon as its notification arrives, and in a SQLite gateway when another
 * process (the CLI) revoked the key in the same file.
 */
import { sql } from 'kysely';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import { createSiblingNode, dialects, type TestContext } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { loadConfig } from '../config.ts';
import { closeContext, createContext, withTransaction } from '../context.ts';
import { openSqlite } from '../db/connect.ts';
import { createSeededIds } from '../shared/ids.ts';
import { authenticateApiKey, revokeApiKey } from './api-keys.ts';

describe.each(dialects)('the API-key cache on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('a key authenticated once is served from the cache, not the database', async () => {
    const ada = await createCustomer(t.ctx);
    await untilCached(t.ctx, ada);
    // A write that does not announce itself (never done by Tollgate) is not seen: the proof that
    // the second authentication did not read the row.
    await sql`update api_keys set revoked_at_ms = 1 where id = ${ada.api_key_id}`.execute(t.ctx.db);
    expect((await authenticateApiKey(t.ctx, ada.api_key))?.account_id).toBe(ada.account_id);
  });

  it('a cached key revoked on this node is refused as soon as the revocation commits', async () => {
    const ada = await createCustomer(t.ctx);
    await untilCached(t.ctx, ada);
    await withTransaction(t.ctx, (tx) => revokeApiKey(tx, ada.api_key_id));
    expect(await authenticateApiKey(t.ctx, ada.api_key)).toBeNull();
  });

  it('a revocation that rolls back leaves the key authenticating', async () => {
    const ada = await createCustomer(t.ctx);
    await untilCached(t.ctx, ada);
    await expect(
      withTransaction(t.ctx, async (tx) => {
        await revokeApiKey(tx, ada.api_key_id);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await authenticateApiKey(t.ctx, ada.api_key))?.id).toBe(ada.api_key_id);
  });

  it('last use is written at most once a minute per key, cache or not', async () => {
    const ada = await createCustomer(t.ctx);
    const lastUsed = async () =>
      (
        await t.ctx.db
          .selectFrom('api_keys')
          .select('last_used_at_ms')
          .where('id', '=', ada.api_key_id)
          .executeTakeFirstOrThrow()
      ).last_used_at_ms;
    const first = t.ctx.clock.now_ms();
    await authenticateApiKey(t.ctx, ada.api_key);
    expect(await lastUsed()).toBe(first);
    t.ctx.clock.advance(59_000n);
    await authenticateApiKey(t.ctx, ada.api_key);
    expect(await lastUsed()).toBe(first);
    t.ctx.clock.advance(1_000n);
    await authenticateApiKey(t.ctx, ada.api_key);
    expect(await lastUsed()).toBe(first + 60_000n);
  });
});

/**
 * Waits until `customer`'s key is cached on `ctx`'s node (a PostgreSQL node caches only once its
 * listener listens): a name changed behind the cache's back is not seen.
 */
async function untilCached(ctx: TestContext, customer: Customer): Promise<void> {
  const rename = (name: string) =>
    sql`update api_keys set name = ${name} where id = ${customer.api_key_id}`.execute(ctx.db);
  let round = 0;
  await vi.waitFor(async () => {
    round++;
    await rename(`before ${round}`);
    const before = await authenticateApiKey(ctx, customer.api_key);
    await rename(`after ${round}`);
    expect((await authenticateApiKey(ctx, customer.api_key))?.name).toBe(before?.name);
  });
  await rename('test');
}

describe.runIf(dialects.includes('postgres'))('the API-key cache on two PostgreSQL nodes', () => {
  const t = useTestContext('postgres');

  it('a key revoked on node B stops authenticating on node A once the notification arrives', async () => {
    const b = createSiblingNode(t.ctx, 'b');
    try {
      const ada = await createCustomer(t.ctx);
      await untilCached(t.ctx, ada);
      await withTransaction(b, (tx) => revokeApiKey(tx, ada.api_key_id));
      await vi.waitFor(
        async () => expect(await authenticateApiKey(t.ctx, ada.api_key)).toBeNull(),
        {
          timeout: 2_000,
          interval: 5,
        },
      );
    } finally {
      await b.close();
    }
  });

  it('while the listening connection is down the cache is bypassed', async () => {
    const ada = await createCustomer(t.ctx);
    await untilCached(t.ctx, ada);
    await sql`update api_keys set name = 'probe' where id = ${ada.api_key_id}`.execute(t.ctx.db);
    expect((await authenticateApiKey(t.ctx, ada.api_key))?.name).not.toBe('probe');
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen %'`.execute(t.ctx.db);
    // Unannounced, so only a database read can see it: the cache must not answer any more.
    await vi.waitFor(async () =>
      expect((await authenticateApiKey(t.ctx, ada.api_key))?.name).toBe('probe'),
    );
  });
});

describe.runIf(dialects.includes('sqlite'))('the API-key cache of a SQLite gateway', () => {
  const t = useTestContext('sqlite');

  it('a key revoked by another process on the same file is refused at once', async () => {
    const ada = await createCustomer(t.ctx);
    expect(await authenticateApiKey(t.ctx, ada.api_key)).not.toBeNull();
    const cli = createContext({
      config: loadConfig({ LOG_LEVEL: 'silent', TOLLGATE_DEMO: '0' }),
      database: openSqlite(t.ctx.database_file!),
      clock: t.ctx.clock,
      ids: createSeededIds('cli'),
      log: pino({ level: 'silent' }),
    });
    try {
      await withTransaction(cli, (tx) => revokeApiKey(tx, ada.api_key_id));
    } finally {
      await closeContext(cli);
    }
    expect(await authenticateApiKey(t.ctx, ada.api_key)).toBeNull();
  });
});
