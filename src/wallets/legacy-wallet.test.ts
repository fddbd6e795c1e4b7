import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import * as grantTerms from '../db/migrations/2026_12_02_0001_grant_terms.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import {
  cashAccountId,
  promotionsAccountId,
  revenueAccountIdFor,
} from '../ledger/operator-accounts.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { getWalletBalance } from './balance.ts';
import { listGrants } from './grant-list.ts';
import { grantFunds } from './grants.ts';
import { holdFunds, settleHold } from './holds.ts';
import { walletAccountId } from './wallet-accounts.ts';

describe.each(dialects)('a wallet from before grant terms on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('keeps every cent and its holds through the migration, and spends its pools last', async () => {
    const { account_id } = await createCustomer(t.ctx);
    // Back to the schema before grant terms, and a wallet funded and held the old way.
    await grantTerms.down(t.ctx.db as unknown as Kysely<unknown>);
    const pool = (kind: 'paid' | 'promotional') => walletAccountId(account_id, kind);
    const revenue = revenueAccountIdFor(
      'usd_micro',
      account_id,
      t.ctx.config.limits.revenue_shard_count,
    );
    await withTransaction(t.ctx, async (tx) => {
      const results = await createTransfers(tx, [
        {
          id: 'g1:credit',
          debit_account_id: cashAccountId('usd_micro'),
          credit_account_id: pool('paid'),
          amount: 3_000_000n,
          code: TRANSFER_CODES.grant_paid,
          reference: 'g1',
        },
        {
          id: 'g2:credit',
          debit_account_id: promotionsAccountId('usd_micro'),
          credit_account_id: pool('promotional'),
          amount: 1_000_000n,
          code: TRANSFER_CODES.grant_promotional,
          reference: 'g2',
        },
        {
          id: 'old:hold:promotional',
          debit_account_id: pool('promotional'),
          credit_account_id: revenue,
          amount: 1_000_000n,
          flags: TRANSFER_FLAGS.pending | TRANSFER_FLAGS.linked,
          timeout_ms: 3_600_000n,
          code: TRANSFER_CODES.hold,
          reference: 'old',
        },
        {
          id: 'old:hold:paid',
          debit_account_id: pool('paid'),
          credit_account_id: revenue,
          amount: 500_000n,
          flags: TRANSFER_FLAGS.pending,
          timeout_ms: 3_600_000n,
          code: TRANSFER_CODES.hold,
          reference: 'old',
        },
      ]);
      expect(results).toEqual(['ok', 'ok', 'ok', 'ok']);
      for (const [id, kind, amount] of [
        ['g1', 'paid', 3_000_000n],
        ['g2', 'promotional', 1_000_000n],
      ] as const) {
        await tx.db
          .insertInto('grants')
          .values({
            id,
            account_id,
            kind,
            amount_micro_usd: amount,
            memo: 'old',
            transfer_id: `${id}:credit`,
            created_at_ms: 1n,
          } as never)
          .execute();
      }
    });
    await grantTerms.up(t.ctx.db as unknown as Kysely<unknown>);
    await expectLedgerBalanced(t.ctx);
    expect(await getWalletBalance(t.ctx.db, account_id)).toMatchObject({
      available_micro_usd: 2_500_000n,
      held_micro_usd: 1_500_000n,
      granted_micro_usd: 4_000_000n,
    });
    const old = await listGrants(t.ctx, { account_id, limit: 10, after: null });
    expect(old.map((g) => [g.id, g.pooled, g.status])).toEqual(
      expect.arrayContaining([
        ['g1', true, 'closed'],
        ['g2', true, 'closed'],
      ]),
    );
    // A new paid grant (priority 0) is drawn before the paid pool (lowest priority).
    await withTransaction(t.ctx, (tx) =>
      grantFunds(tx, { account_id, kind: 'paid', amount_micro_usd: 1_000_000n, memo: null }),
    );
    await withTransaction(t.ctx, (tx) =>
      holdFunds(tx, {
        account_id,
        hold_id: 'new',
        amount_micro_usd: 1_200_000n,
        timeout_ms: 60_000n,
      }),
    );
    const rows = await t.ctx.db
      .selectFrom('ledger_transfers')
      .select(['id', 'debit_account_id', 'amount'])
      .where('reference', '=', 'new')
      .orderBy('id')
      .execute();
    expect(
      rows.map((r) => [
        r.debit_account_id.startsWith(`${pool('paid')}:`),
        r.debit_account_id === pool('paid'),
        r.amount,
      ]),
    ).toEqual([
      [true, false, 1_000_000n],
      [false, true, 200_000n],
    ]);
    // The hold made before the migration settles on its old transfer ids.
    await withTransaction(t.ctx, (tx) =>
      settleHold(tx, { hold_id: 'old', amount_micro_usd: 700_000n }),
    );
    expect(await getWalletBalance(t.ctx.db, account_id)).toMatchObject({
      available_micro_usd: 3_100_000n,
      held_micro_usd: 1_200_000n,
      settled_micro_usd: 700_000n,
    });
    await expectLedgerBalanced(t.ctx);
  });
});
