import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';

describe.each(dialects)('tollgate CLI on %s', (dialect) => {
  const t = useTestContext(dialect);

  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('reconcile exits 0 on a clean ledger and 1 with the drift named after tampering', async () => {
    const ada = await createCustomer(t.ctx, { username: 'ada', paid_micro_usd: 5_000_000n });
    const clean = await cli('reconcile');
    expect(clean.exit_code).toBe(0);
    expect(clean.out).toMatch(/^OK: /);
    const { ledger_account_id: walletId } = await t.ctx.db
      .selectFrom('grants')
      .select('ledger_account_id')
      .where('account_id', '=', ada.account_id)
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('ledger_accounts')
      .set({ credits_posted: 5_000_001n })
      .where('id', '=', walletId)
      .execute();
    const tampered = await cli('reconcile');
    expect(tampered.exit_code).toBe(1);
    expect(tampered.out).toMatch(/^DRIFT: /);
    expect(tampered.out).toContain(
      `drift ${walletId} credits_posted: stored 5000001, computed 5000000`,
    );
    const json = JSON.parse((await cli('reconcile', '--json')).out);
    expect(json).toMatchObject({
      ok: false,
      drifts: [{ account_id: walletId, field: 'credits_posted', stored: 5_000_001 }],
    });
  });

  it('accounts create, grants create, keys create and accounts show work end to end', async () => {
    const created = await cli('accounts', 'create', '--username', 'ada', '--enterprise', '--json');
    expect(created.exit_code).toBe(0);
    const account = JSON.parse(created.out);
    expect(account).toMatchObject({ username: 'ada', enterprise: true });
    const granted = await cli(
      'grants',
      'create',
      account.id,
      '--amount-usd',
      '12.345678',
      '--kind',
      'paid',
    );
    expect(granted.out).toContain('granted $12.345678 (paid)');
    const key = JSON.parse((await cli('keys', 'create', account.id, '--json')).out);
    expect(key.key).toMatch(/^tg_/);
    const shown = JSON.parse((await cli('accounts', 'show', account.id, '--json')).out);
    expect(shown.wallet).toMatchObject({ available_micro_usd: 12_345_678 });
    const listed = JSON.parse((await cli('accounts', 'list', '--json')).out);
    expect(listed.data.map((a: { id: string }) => a.id)).toEqual([account.id]);
    const revoked = await cli('keys', 'revoke', key.id);
    expect(revoked.out).toContain(`revoked ${key.id}`);
    expect((await cli('reconcile')).exit_code).toBe(0);
    await expectLedgerBalanced(t.ctx);
  });

  it('errors are one line on stderr with exit code 1, and write nothing', async () => {
    const unknown = await cli(
      'grants',
      'create',
      'acct_nope',
      '--amount-usd',
      '1',
      '--kind',
      'paid',
    );
    expect(unknown).toMatchObject({ exit_code: 1, out: '' });
    expect(unknown.err).toBe('tollgate: account_not_found: Account acct_nope not found.\n');
    const ada = await createCustomer(t.ctx, { username: 'ada' });
    const inexact = await cli(
      'grants',
      'create',
      ada.account_id,
      '--amount-usd',
      '0.0000001',
      '--kind',
      'paid',
    );
    expect(inexact.exit_code).toBe(1);
    expect(inexact.err).toContain('--amount-usd');
    const taken = await cli('accounts', 'create', '--username', 'ada');
    expect(taken.err).toContain('username_taken');
    await expectLedgerBalanced(t.ctx);
  });
});
