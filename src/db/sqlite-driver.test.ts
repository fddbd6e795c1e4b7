import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import { openSqlite } from './connect.ts';

/** Resolves when `release()` is called: holds a write transaction open across an await. */
function gate(): { wait: Promise<void>; release: () => void } {
  let release = () => {};
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait, release };
}

const NEW_ACCOUNT = {
  id: 'acct_read_visibility',
  username: 'read_visibility',
  email: null,
  first_name: null,
  last_name: null,
  existing_avatar_iii_customer: 0n,
  enterprise: 0n,
  concurrency_limit: null,
  overdraft_limit_micro_usd: 0n,
  created_at_ms: 1n,
};

describe.each(dialects)('reads outside a transaction on %s', (dialect) => {
  const t = useTestContext(dialect);
  const findAccount = () =>
    t.ctx.db.selectFrom('accounts').select('id').where('id', '=', NEW_ACCOUNT.id).execute();

  it('a read does not wait for a write transaction held across an await, nor see its rows', async () => {
    const held = gate();
    let inserted = () => {};
    const insertedYet = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const writing = withTransaction(t.ctx, async (tx) => {
      await tx.db.insertInto('accounts').values(NEW_ACCOUNT).execute();
      inserted();
      await held.wait;
    });
    await insertedYet;
    // The transaction is still open: this read must complete now, on the committed state.
    expect(await findAccount()).toEqual([]);
    held.release();
    await writing;
    // A read right after the commit sees the write.
    expect(await findAccount()).toEqual([{ id: NEW_ACCOUNT.id }]);
  });
});

// PostgreSQL has no such queue: an UPDATE does not see another transaction's uncommitted row.
describe('SQLite connections', () => {
  const t = useTestContext('sqlite');

  it('a write outside a transaction waits for the open write transaction and then applies', async () => {
    const held = gate();
    const order: string[] = [];
    const writing = withTransaction(t.ctx, async (tx) => {
      await tx.db.insertInto('accounts').values(NEW_ACCOUNT).execute();
      await held.wait;
      order.push('transaction committed');
    });
    const updating = t.ctx.db
      .updateTable('accounts')
      .set({ email: 'after@example.com' })
      .where('id', '=', NEW_ACCOUNT.id)
      .executeTakeFirst()
      .then((result) => {
        order.push('update applied');
        return result.numUpdatedRows;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.release();
    await writing;
    // The update queues behind the write connection's transaction, then finds the new row.
    expect(await updating).toBe(1n);
    expect(order).toEqual(['transaction committed', 'update applied']);
  });

  it('an in-memory database (no second connection possible) reads its own writes', async () => {
    const database = openSqlite(':memory:');
    await database.db.schema.createTable('t').addColumn('x', 'integer').execute();
    await database.db
      .insertInto('t' as never)
      .values({ x: 1 } as never)
      .execute();
    const rows = await database.db
      .selectFrom('t' as never)
      .selectAll()
      .execute();
    expect(rows).toEqual([{ x: 1n }]);
    await database.db.destroy();
  });
});
