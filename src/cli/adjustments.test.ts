import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { balanceOf, createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { EXIT_CODES } from './deps.ts';

describe.each(dialects)('tollgate grants and adjustments on %s', (dialect) => {
  const t = useTestContext(dialect);
  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('credit with terms, debit below zero, list and revoke work end to end with --json', async () => {
    const ada = await createCustomer(t.ctx, { username: 'ada', paid_micro_usd: 1_000_000n });
    const credit = await cli(
      'adjustments',
      'credit',
      ada.account_id,
      '--amount-usd',
      '2.00',
      '--memo',
      'Goodwill',
      '--priority',
      '2',
      '--expires-at',
      '2099-01-01T00:00:00Z',
      '--operator',
      'sam',
      '--json',
    );
    expect(credit.exit_code).toBe(0);
    const credited = JSON.parse(credit.out);
    expect(credited).toMatchObject({
      grant: { kind: 'promotional', priority: 2, memo: 'Goodwill' },
      adjustment: { type: 'credit', operator: 'sam' },
    });
    const debit = await cli(
      'adjustments',
      'debit',
      ada.account_id,
      '--amount-usd',
      '0.50',
      '--memo',
      'Fee',
      '--json',
    );
    expect(JSON.parse(debit.out).adjustment).toMatchObject({ type: 'debit', memo: 'Fee' });
    const listed = JSON.parse((await cli('grants', 'list', ada.account_id, '--json')).out);
    expect(listed).toHaveLength(2);
    const revoke = await cli('grants', 'revoke', credited.grant.id, '--memo', 'Mistake', '--json');
    expect(JSON.parse(revoke.out)).toMatchObject({ revoked_micro_usd: 2_000_000 });
    expect((await balanceOf(t.ctx, ada)).available_micro_usd).toBe(500_000n);
    const refund = await cli('adjustments', 'refund', 'video_nope', '--memo', 'x');
    expect(refund).toMatchObject({ exit_code: EXIT_CODES.domain, out: '' });
    await expectLedgerBalanced(t.ctx);
  });
});
