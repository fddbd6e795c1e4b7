import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import { listAccountEvents, recordEvent } from './events.ts';

describe.each(dialects)('events outbox (%s)', (dialect) => {
  const t = useTestContext(dialect);

  it('an event commits with its transaction and never without it', async () => {
    const { account_id } = await createCustomer(t.ctx);
    await withTransaction(t.ctx, (tx) =>
      recordEvent(tx, { type: 'balance.low', account_id, payload: { available_micro_usd: 5n } }),
    );
    await expect(
      withTransaction(t.ctx, async (tx) => {
        await recordEvent(tx, { type: 'grant.expired', account_id, payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const events = await listAccountEvents(t.ctx.db, account_id, { limit: 10, after: null });
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['balance.low', { available_micro_usd: 5 }],
    ]);
  });
});
