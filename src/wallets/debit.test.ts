import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import { getWalletBalance } from './balance.ts';
import { debitWallet } from './debit.ts';
import { listWalletHistory } from './history.ts';
import { holdFunds } from './holds.ts';

describe.each(dialects)('debitWallet on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('takes free paid money before promotional, never a hold, and below zero from the debt account', async () => {
    const ada = await createCustomer(t.ctx, {
      paid_micro_usd: 3_000_000n,
      promotional_micro_usd: 2_000_000n,
    });
    await withTransaction(t.ctx, (tx) =>
      holdFunds(tx, {
        account_id: ada.account_id,
        hold_id: 'job1',
        amount_micro_usd: 2_500_000n,
        timeout_ms: 60_000n,
      }),
    );
    // Held: 2.00 promotional + 0.50 paid; free: 2.50 paid.
    const result = await withTransaction(t.ctx, (tx) =>
      debitWallet(tx, {
        account_id: ada.account_id,
        amount_micro_usd: 4_000_000n,
        memo: 'Chargeback',
        reason: 'payment_dispute',
        reference: 'topup_1',
      }),
    );
    expect(result.overdrawn_micro_usd).toBe(1_500_000n);
    expect(result.transfer_ids).toHaveLength(2);
    expect(result.balance).toMatchObject({
      available_micro_usd: -1_500_000n,
      held_micro_usd: 2_500_000n,
    });
    await expect(
      withTransaction(t.ctx, (tx) =>
        holdFunds(tx, {
          account_id: ada.account_id,
          hold_id: 'job2',
          amount_micro_usd: 1n,
          timeout_ms: 60_000n,
        }),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_balance' });
    const history = await listWalletHistory(t.ctx, {
      account_id: ada.account_id,
      limit: 10,
      after: null,
    });
    const debits = history.filter((e) => e.kind === 'debit');
    expect(debits.map((e) => [e.wallet_part, e.amount_micro_usd, e.memo, e.reference])).toEqual(
      expect.arrayContaining([
        ['paid', 2_500_000n, 'Chargeback', 'topup_1'],
        ['debt', 1_500_000n, 'Chargeback', 'topup_1'],
      ]),
    );
    await expectLedgerBalanced(t.ctx);
  });

  it('a debit retried with its id debits once', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 3_000_000n });
    const debit = () =>
      withTransaction(t.ctx, (tx) =>
        debitWallet(tx, {
          id: 'refund_re_123',
          account_id: ada.account_id,
          amount_micro_usd: 1_000_000n,
          memo: null,
          reason: 'payment_refund',
          reference: 'topup_1',
        }),
      );
    const first = await debit();
    const second = await debit();
    expect(second.transfer_ids).toEqual(first.transfer_ids);
    expect((await getWalletBalance(t.ctx.db, ada.account_id)).available_micro_usd).toBe(2_000_000n);
    await expectLedgerBalanced(t.ctx);
  });
});
