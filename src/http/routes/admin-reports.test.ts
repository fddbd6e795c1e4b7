import { afterEach, describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { holdFunds, settleHold } from '../../wallets/holds.ts';

describe.each(dialects)('overdraft limits and the write-off report on %s', (dialect) => {
  const t = useServer(dialect, { operator: true });
  afterEach(async () => {
    await expectLedgerBalanced(t.ctx);
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: t.operator, ...(payload ? { payload } : {}) });

  it('an account shows its overdraft limit (default 0), set at creation and by PATCH', async () => {
    const created = await call('POST', '/admin/v1/accounts', { username: 'ada' });
    expect(created.json().data).toMatchObject({
      overdraft_limit_micro_usd: 0,
      overdraft_limit_usd: '0.00',
    });
    const id = created.json().data.id;
    const patched = await call('PATCH', `/admin/v1/accounts/${id}`, { overdraft_limit_usd: '2.5' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({
      id,
      overdraft_limit_micro_usd: 2_500_000,
      overdraft_limit_usd: '2.50',
    });
    const bob = await call('POST', '/admin/v1/accounts', {
      username: 'bob',
      overdraft_limit_usd: '10',
    });
    expect(bob.json().data.overdraft_limit_usd).toBe('10.00');
  });

  it.each([['-1'], ['abc'], ['0.0000001'], ['1e3']])(
    'an overdraft limit of %s is a 400 naming overdraft_limit_usd',
    async (value) => {
      const created = await call('POST', '/admin/v1/accounts', { username: 'ada' });
      const id = created.json().data.id;
      const res = await call('PATCH', `/admin/v1/accounts/${id}`, { overdraft_limit_usd: value });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.param).toBe('overdraft_limit_usd');
      const refused = await call('POST', '/admin/v1/accounts', {
        username: 'bob',
        overdraft_limit_usd: value,
      });
      expect(refused.statusCode).toBe(400);
    },
  );

  it('PATCH of an unknown account is a 404', async () => {
    const res = await call('PATCH', '/admin/v1/accounts/acct_nope', { overdraft_limit_usd: '1' });
    expect(res.statusCode).toBe(404);
  });

  it('an overrun beyond the limit is written off, shown in the customer ledger and the report', async () => {
    const created = await call('POST', '/admin/v1/accounts', {
      username: 'ada',
      overdraft_limit_usd: '0.10',
    });
    const account_id = created.json().data.id;
    await call('POST', `/admin/v1/accounts/${account_id}/grants`, {
      amount_usd: '1.00',
      kind: 'paid',
    });
    await t.ctx.committer.run((tx) =>
      holdFunds(tx, { account_id, hold_id: 'job_a', amount_micro_usd: 1_000_000n, timeout_ms: 0n }),
    );
    await t.ctx.committer.run((tx) =>
      settleHold(tx, { hold_id: 'job_a', amount_micro_usd: 1_500_000n }),
    );
    const report = await call('GET', '/admin/v1/reports/write-offs?limit=1');
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({
      data: [
        {
          account_id,
          job_id: 'job_a',
          amount_micro_usd: 400_000,
          amount_usd: '0.40',
        },
      ],
      has_more: false,
    });
    const ledger = await call('GET', `/admin/v1/accounts/${account_id}/ledger`);
    const entry = ledger.json().data.find((e: { kind: string }) => e.kind === 'write_off');
    expect(entry).toMatchObject({ direction: 'credit', reference: 'job_a', amount_usd: '0.40' });
    const shown = await call('GET', `/admin/v1/accounts/${account_id}`);
    expect(shown.json().data.wallet.posted_balance_usd).toBe('-0.10');
  });
});
