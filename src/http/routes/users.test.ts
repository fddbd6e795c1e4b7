import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { withTransaction } from '../../context.ts';
import { holdFunds, settleHold } from '../../wallets/holds.ts';
import { buildServer } from '../server.ts';

describe.each(dialects)('GET /v3/users/me on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let ada: Customer;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    ada = await createCustomer(ctx, {
      username: 'ada',
      promotional_micro_usd: 2_000_000n,
      paid_micro_usd: 40_500_000n,
    });
    app = buildServer(ctx);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const me = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/v3/users/me', headers });

  it('answers HeyGen’s wallet shape with the available balance as remaining_balance', async () => {
    const res = await me(ada.headers);
    expect(res.statusCode).toBe(200);
    expectHeygenShape('get_v3_users_me.yaml', res.json());
    expect(res.json()).toEqual({
      data: {
        username: 'ada',
        email: 'ada@example.com',
        first_name: 'Test',
        last_name: 'ada',
        billing_type: 'wallet',
        wallet: {
          currency: 'usd',
          remaining_balance: 42.5,
          auto_reload: { enabled: false, threshold_usd: null, amount_usd: null },
          remaining_balance_micro_usd: 42_500_000,
          held_usd: 0,
          held_micro_usd: 0,
          settled_usd: 0,
          settled_micro_usd: 0,
          posted_balance_usd: 42.5,
          posted_balance_micro_usd: 42_500_000,
        },
        subscription: null,
        usage_based: null,
      },
    });
  });

  it('a hold lowers remaining_balance at once; settling moves it to settled', async () => {
    await withTransaction(ctx, (tx) =>
      holdFunds(tx, {
        account_id: ada.account_id,
        hold_id: 'job_1',
        amount_micro_usd: 3_000_001n,
        timeout_ms: 60_000n,
      }),
    );
    const held = (await me(ada.headers)).json().data.wallet;
    expect(held).toMatchObject({
      remaining_balance: 39.499999,
      remaining_balance_micro_usd: 39_499_999,
      held_micro_usd: 3_000_001,
      posted_balance_micro_usd: 42_500_000,
    });
    await withTransaction(ctx, (tx) =>
      settleHold(tx, { hold_id: 'job_1', amount_micro_usd: 667_000n }),
    );
    const settled = (await me(ada.headers)).json().data.wallet;
    expect(settled).toMatchObject({
      remaining_balance: 41.833,
      held_micro_usd: 0,
      settled_usd: 0.667,
      settled_micro_usd: 667_000,
      posted_balance_micro_usd: 41_833_000,
    });
    await expectLedgerBalanced(ctx);
  });

  it('each key sees only its own account', async () => {
    const bob = await createCustomer(ctx, { username: 'bob', paid_micro_usd: 1_000_000n });
    expect((await me(bob.headers)).json().data).toMatchObject({
      username: 'bob',
      wallet: { remaining_balance: 1 },
    });
    expect((await me(ada.headers)).json().data.username).toBe('ada');
  });

  it('no key, an unknown key or an operator bearer token is 401 authentication_failed', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-api-key': 'tg_nope' },
      { authorization: 'Bearer x' },
    ];
    for (const headers of attempts) {
      const res = await me(headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('authentication_failed');
    }
  });
});
