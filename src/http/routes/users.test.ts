import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { withTransaction } from '../../context.ts';
import { holdFunds, settleHold } from '../../wallets/holds.ts';

describe.each(dialects)('GET /v3/users/me on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: {
      username: 'ada',
      promotional_micro_usd: 2_000_000n,
      paid_micro_usd: 40_500_000n,
    },
  });

  const me = (headers: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/v3/users/me', headers });

  it('answers HeyGen’s wallet shape with the available balance as remaining_balance', async () => {
    const res = await me(t.ada.headers);
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
    await withTransaction(t.ctx, (tx) =>
      holdFunds(tx, {
        account_id: t.ada.account_id,
        hold_id: 'job_1',
        amount_micro_usd: 3_000_001n,
        timeout_ms: 60_000n,
      }),
    );
    const held = (await me(t.ada.headers)).json().data.wallet;
    expect(held).toMatchObject({
      remaining_balance: 39.499999,
      remaining_balance_micro_usd: 39_499_999,
      held_micro_usd: 3_000_001,
      posted_balance_micro_usd: 42_500_000,
    });
    await withTransaction(t.ctx, (tx) =>
      settleHold(tx, { hold_id: 'job_1', amount_micro_usd: 667_000n }),
    );
    const settled = (await me(t.ada.headers)).json().data.wallet;
    expect(settled).toMatchObject({
      remaining_balance: 41.833,
      held_micro_usd: 0,
      settled_usd: 0.667,
      settled_micro_usd: 667_000,
      posted_balance_micro_usd: 41_833_000,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('each key sees only its own account', async () => {
    const bob = await createCustomer(t.ctx, { username: 'bob', paid_micro_usd: 1_000_000n });
    expect((await me(bob.headers)).json().data).toMatchObject({
      username: 'bob',
      wallet: { remaining_balance: 1 },
    });
    expect((await me(t.ada.headers)).json().data.username).toBe('ada');
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
