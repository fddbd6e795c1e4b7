import { afterEach, describe, expect, it } from 'vitest';
import { createCustomer } from '../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../test/harness.ts';
import { bootstrap, renderStartBanner } from './bootstrap.ts';
import { buildServer } from './http/server.ts';
import { authenticateUser } from './users/sign-in.ts';

describe.each(dialects)('first start on %s', (dialect) => {
  let ctx: TestContext;
  afterEach(async () => {
    await ctx.close();
  });

  it('an empty database gets an operator token and a funded demo account, printed once', async () => {
    ctx = await createTestContext(dialect, { env: { TOLLGATE_DEMO: '1' } });
    const report = await bootstrap(ctx);
    expect(report.operator_token).toMatch(/^tgop_/);
    expect(report.demo?.account.username).toBe('demo');
    const app = buildServer(ctx);
    const me = await app.inject({
      method: 'GET',
      url: '/v3/users/me',
      headers: { 'x-api-key': report.demo!.api_key },
    });
    expect(me.json().data.wallet).toMatchObject({
      remaining_balance: 25,
      remaining_balance_micro_usd: 25_000_000,
    });
    const accounts = await app.inject({
      method: 'GET',
      url: '/admin/v1/accounts',
      headers: { authorization: `Bearer ${report.operator_token}` },
    });
    expect(accounts.statusCode).toBe(200);
    const banner = renderStartBanner(report, 'http://localhost:8080');
    expect(banner).toContain('http://localhost:8080');
    expect(banner).toContain(report.operator_token);
    expect(banner).toContain(`curl -H 'x-api-key: ${report.demo!.api_key}'`);
    const { email, password } = report.demo!.user;
    expect(banner).toContain(`email ${email}  password ${password}`);
    expect(await authenticateUser(ctx, { email, password })).toEqual({
      user_id: expect.stringMatching(/^user_/),
      account_id: report.demo!.account.id,
    });
    await expectLedgerBalanced(ctx);
  });

  it('a second start makes nothing again and prints no secret', async () => {
    ctx = await createTestContext(dialect, { env: { TOLLGATE_DEMO: '1' } });
    await bootstrap(ctx);
    const again = await bootstrap(ctx);
    expect(again).toEqual({ migrations_applied: [], operator_token: null, demo: null });
    expect(renderStartBanner(again, 'http://h:1')).toBe('Tollgate is listening on http://h:1\n');
    const rows = await ctx.db.selectFrom('accounts').select('username').execute();
    expect(rows).toEqual([{ username: 'demo' }]);
    await expectLedgerBalanced(ctx);
  });

  it('TOLLGATE_DEMO=0 makes no demo account; TOLLGATE_ADMIN_TOKEN means no generated token', async () => {
    ctx = await createTestContext(dialect, {
      env: { TOLLGATE_DEMO: '0', TOLLGATE_ADMIN_TOKEN: 'an-operator-token-of-mine' },
    });
    expect(await bootstrap(ctx)).toEqual({
      migrations_applied: [],
      operator_token: null,
      demo: null,
    });
    expect(await ctx.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
  });

  it('a database that already has accounts gets no demo account', async () => {
    ctx = await createTestContext(dialect, { env: { TOLLGATE_DEMO: '1' } });
    await createCustomer(ctx, { username: 'ada' });
    expect((await bootstrap(ctx)).demo).toBeNull();
    const rows = await ctx.db.selectFrom('accounts').select('username').execute();
    expect(rows).toEqual([{ username: 'ada' }]);
  });

  it('starts racing on one database make one demo account between them', async () => {
    ctx = await createTestContext(dialect, { env: { TOLLGATE_DEMO: '1' } });
    const reports = await Promise.all([bootstrap(ctx), bootstrap(ctx), bootstrap(ctx)]);
    expect(reports.filter((r) => r.demo !== null)).toHaveLength(1);
    expect(reports.filter((r) => r.operator_token !== null)).toHaveLength(1);
    expect(await ctx.db.selectFrom('accounts').selectAll().execute()).toHaveLength(1);
    await expectLedgerBalanced(ctx);
  });
});
