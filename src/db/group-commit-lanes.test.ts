import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import type { TxContext } from '../context.ts';
import { revenueShardOf } from '../ledger/operator-accounts.ts';
import { POSTGRES_LANE_COUNT } from './group-commit.ts';

const SHARD_COUNT = 8;
const laneOf = (account_id: string) =>
  revenueShardOf(account_id, SHARD_COUNT) % POSTGRES_LANE_COUNT;

/** Account ids: two in one lane, one in another (on PostgreSQL's lane count). */
function pickAccounts(): { first: string; same_lane: string; other_lane: string } {
  const ids = Array.from({ length: 64 }, (_, index) => `acct_lane_${index}`);
  const first = ids[0]!;
  const same_lane = ids.find((id) => id !== first && laneOf(id) === laneOf(first))!;
  const other_lane = ids.find((id) => laneOf(id) !== laneOf(first))!;
  return { first, same_lane, other_lane };
}

function gate(): { wait: Promise<void>; release: () => void } {
  let release = () => {};
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait, release };
}

function insertAccount(tx: TxContext, id: string) {
  return tx.db
    .insertInto('accounts')
    .values({
      id,
      username: id,
      email: null,
      first_name: null,
      last_name: null,
      existing_avatar_iii_customer: 0n,
      enterprise: 0n,
      concurrency_limit: null,
      overdraft_limit_micro_usd: 0n,
      created_at_ms: 1n,
    })
    .execute();
}

const settleOrder = async (promises: Record<string, Promise<unknown>>, order: string[]) => {
  await Promise.all(
    Object.entries(promises).map(([name, promise]) => promise.then(() => order.push(name))),
  );
};

describe.each(dialects)('group-commit lanes on %s', (dialect) => {
  const t = useTestContext(dialect, { limits: { revenue_shard_count: SHARD_COUNT } });
  const stored = async (id: string) =>
    (await t.ctx.db.selectFrom('accounts').select('id').where('id', '=', id).execute()).length;

  it('a unit of another account commits while a batch is open only on PostgreSQL, and no caller resolves before its own commit', async () => {
    const { first, other_lane } = pickAccounts();
    const held = gate();
    let entered = () => {};
    const firstEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const order: string[] = [];
    const a = t.ctx.committer.run(
      async (tx) => {
        await insertAccount(tx, first);
        entered();
        await held.wait;
      },
      { account_id: first },
    );
    await firstEntered;
    const b = t.ctx.committer.run((tx) => insertAccount(tx, other_lane), {
      account_id: other_lane,
    });
    const both = settleOrder({ a, b }, order);
    if (dialect === 'postgres') {
      // Another lane: committed and visible while the first batch is still open.
      await b;
      expect(await stored(other_lane)).toBe(1);
      expect(await stored(first)).toBe(0);
    } else {
      // One writer: the second unit waits for the open batch.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(order).toEqual([]);
      expect(await stored(other_lane)).toBe(0);
    }
    held.release();
    await both;
    expect(await stored(first)).toBe(1);
    expect(await stored(other_lane)).toBe(1);
    expect(order).toEqual(dialect === 'postgres' ? ['b', 'a'] : ['a', 'b']);
  });

  it('units of one lane commit one batch at a time, in the order they were queued', async () => {
    const { first, same_lane } = pickAccounts();
    const held = gate();
    let entered = () => {};
    const firstEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const order: string[] = [];
    const a = t.ctx.committer.run(
      async (tx) => {
        await insertAccount(tx, first);
        entered();
        await held.wait;
      },
      { account_id: first },
    );
    await firstEntered;
    const b = t.ctx.committer.run((tx) => insertAccount(tx, same_lane), {
      account_id: same_lane,
    });
    const both = settleOrder({ a, b }, order);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    expect(await stored(same_lane)).toBe(0);
    held.release();
    await both;
    expect(order).toEqual(['a', 'b']);
    expect(await stored(same_lane)).toBe(1);
  });
});

describe.each(dialects.filter((dialect) => dialect === 'postgres'))(
  'one unit per transaction (%s)',
  (dialect) => {
    const t = useTestContext(dialect);

    it("two units queued together for one account commit in two transactions, so no batch holds two units' locks", async () => {
      const transactionOf = async (tx: TxContext): Promise<string> => {
        const { rows } = await sql<{ id: string }>`select txid_current()::text as id`.execute(
          tx.db,
        );
        return rows[0]!.id;
      };
      const ids = await Promise.all(
        [1, 2, 3].map(() => t.ctx.committer.run(transactionOf, { account_id: 'acct_same' })),
      );
      expect(new Set(ids).size).toBe(3);
    });
  },
);
