/**
 * The live balance feed: a subscriber hears the balance at once, and again when a transfer
 * changes the wallet (here a grant), never for another account's change; nothing is read once the
 * last subscriber has left.
 */
import { describe, expect, it, vi } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import type { WalletBalance } from '../wallets/balance.ts';
import { grantFunds } from '../wallets/grants.ts';
import { createBalanceFeed } from './balance-feed.ts';

describe.each(dialects)('the balance feed on %s', (dialect) => {
  const t = useTestContext(dialect);

  it("tells a subscriber the balance, then its wallet's changes only", async () => {
    const ada = await createCustomer(t.ctx, { username: 'ada', paid_micro_usd: 1_000_000n });
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const feed = createBalanceFeed(t.ctx, { tick_ms: 10 });
    const heard: WalletBalance[] = [];
    const unsubscribe = feed.subscribe(ada.account_id, (balance) => heard.push(balance));
    expect(unsubscribe).not.toBeNull();
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    expect(heard[0]!.available_micro_usd).toBe(1_000_000n);

    const grant = (account_id: string) =>
      withTransaction(t.ctx, (tx) =>
        grantFunds(tx, { account_id, kind: 'paid', amount_micro_usd: 500_000n, memo: null }),
      );
    await grant(bob.account_id);
    await new Promise((done) => setTimeout(done, 100));
    // Bob's grant changes nothing ada hears.
    expect(heard).toHaveLength(1);
    await grant(ada.account_id);
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(heard[1]!.available_micro_usd).toBe(1_500_000n);

    unsubscribe!();
    const after = heard.length;
    await grant(ada.account_id);
    await new Promise((done) => setTimeout(done, 100));
    expect(heard).toHaveLength(after);
    feed.close();
    await expectLedgerBalanced(t.ctx);
  });
});
