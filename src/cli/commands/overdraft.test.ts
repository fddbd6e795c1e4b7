import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli.ts';
import { createCustomer } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useTestContext } from '../../../test/server-fixture.ts';
import { holdFunds, settleHold } from '../../wallets/holds.ts';

describe.each(dialects)('overdraft CLI on %s', (dialect) => {
  const t = useTestContext(dialect);
  afterEach(async () => {
    await expectLedgerBalanced(t.ctx);
  });

  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('set-overdraft-limit bounds the next overrun, and write-offs lists what was not collected', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 1_000_000n });
    const set = await cli('accounts', 'set-overdraft-limit', ada.account_id, '0.25', '--json');
    expect(JSON.parse(set.out)).toMatchObject({ overdraft_limit_micro_usd: 250000 });
    const account_id = ada.account_id;
    await t.ctx.committer.run((tx) =>
      holdFunds(tx, { account_id, hold_id: 'job_a', amount_micro_usd: 1_000_000n, timeout_ms: 0n }),
    );
    await t.ctx.committer.run((tx) =>
      settleHold(tx, { hold_id: 'job_a', amount_micro_usd: 2_000_000n }),
    );
    const report = await cli('write-offs');
    expect(report.out).toContain(`${account_id}  job_a  $0.75`);
  });
});
