import { afterEach, describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { withTransaction } from '../context.ts';
import { type AccountInput, createAccounts, lookupAccounts } from './accounts.ts';
import { ACCOUNT_FLAGS } from './codes.ts';
import { account } from './test-support.ts';

describe.each(dialects)('ledger accounts on %s', (dialect) => {
  const t = useTestContext(dialect);
  afterEach(async () => {
    await expectLedgerBalanced(t.ctx);
  });

  const create = (inputs: AccountInput[]) =>
    withTransaction(t.ctx, (tx) => createAccounts(tx, inputs));

  it('creates accounts with zero balances and is idempotent by id', async () => {
    expect(await create([account('a'), account('b')])).toEqual(['ok', 'ok']);
    expect(await create([account('a')])).toEqual(['exists']);
    const row = (await lookupAccounts(t.ctx.db, ['a'])).get('a');
    expect(row).toMatchObject({
      debits_pending: 0n,
      debits_posted: 0n,
      credits_pending: 0n,
      credits_posted: 0n,
    });
  });

  it('the same id with other fields names the first difference', async () => {
    await create([account('a')]);
    expect(
      await create([
        account('a', { currency: 'credit_milli' }),
        account('a', { code: 2n }),
        account('a', { flags: ACCOUNT_FLAGS.debits_must_not_exceed_credits }),
        account('a', { owner_id: 'acct_x' }),
      ]),
    ).toEqual([
      'exists_with_different_currency',
      'exists_with_different_code',
      'exists_with_different_flags',
      'exists_with_different_owner_id',
    ]);
  });

  it('bad input returns codes and creates nothing', async () => {
    const results = await create([
      account('bad id'),
      account('c1', { currency: 'eur' as never }),
      account('c2', { code: 0n }),
      account('c3', { flags: 64n }),
      account('c4', { flags: 3n }),
      account('c5', { owner_id: 'no spaces allowed' }),
    ]);
    expect(results).toEqual([
      'id_invalid',
      'currency_invalid',
      'code_invalid',
      'flags_invalid',
      'flags_are_mutually_exclusive',
      'owner_id_invalid',
    ]);
    expect((await lookupAccounts(t.ctx.db, ['c1', 'c2', 'c3', 'c4', 'c5'])).size).toBe(0);
  });

  it('a duplicate id inside one batch is created once', async () => {
    expect(await create([account('d'), account('d'), account('d', { code: 7n })])).toEqual([
      'ok',
      'exists',
      'exists_with_different_code',
    ]);
  });
});
