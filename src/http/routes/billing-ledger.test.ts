import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../../test/harness.ts';
import { createOperatorToken, operatorHeaders } from '../../../test/operator.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { withTransaction } from '../../context.ts';
import { expirePendingTransfers } from '../../ledger/expire.ts';
import { holdFunds, settleHold, voidHold } from '../../wallets/holds.ts';

type Entry = {
  kind: string;
  reference: string;
  wallet_part: string;
  amount_micro_usd: number;
  hold_status: string | null;
};

describe.each(dialects)('wallet ledger history on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: {
      username: 'ada',
      promotional_micro_usd: 1_000_000n,
      paid_micro_usd: 9_000_000n,
    },
  });

  const step = async (fn: Parameters<typeof withTransaction>[1]) => {
    t.ctx.clock.advance(1_000n);
    await withTransaction(t.ctx, fn);
  };
  const hold = (hold_id: string, amount_micro_usd: bigint, timeout_ms = 600_000n) =>
    step((tx) =>
      holdFunds(tx, { account_id: t.ada.account_id, hold_id, amount_micro_usd, timeout_ms }),
    );
  const ledger = (query = '', headers = t.ada.headers) =>
    t.app.inject({ method: 'GET', url: `/billing/v1/ledger${query}`, headers });
  const summary = (entries: Entry[]) =>
    entries.map((e) => [e.kind, e.reference, e.wallet_part, e.amount_micro_usd, e.hold_status]);

  it('lists grants, holds, settlements, releases and expiries newest first', async () => {
    await hold('job_a', 1_500_000n);
    await step((tx) => settleHold(tx, { hold_id: 'job_a', amount_micro_usd: 1_200_000n }));
    await hold('job_b', 400_000n);
    await step((tx) => voidHold(tx, { hold_id: 'job_b' }));
    await hold('job_c', 250_000n, 1_000n);
    t.ctx.clock.advance(5_000n);
    await withTransaction(t.ctx, (tx) => expirePendingTransfers(tx, { limit: 10 }));
    const res = await ledger();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ has_more: false, next_token: null });
    // Entries of one instant come in descending id order (part `…:1`, paid, before `…:0`).
    expect(summary(body.data.slice(0, 7))).toEqual([
      ['hold', 'job_c', 'paid', 250_000, 'expired'],
      ['release', 'job_b', 'paid', 400_000, null],
      ['hold', 'job_b', 'paid', 400_000, 'voided'],
      ['settlement', 'job_a', 'paid', 200_000, null],
      ['settlement', 'job_a', 'promotional', 1_000_000, null],
      ['hold', 'job_a', 'paid', 500_000, 'posted'],
      ['hold', 'job_a', 'promotional', 1_000_000, 'posted'],
    ]);
    const grants = body.data
      .slice(7)
      .map((e: Entry) => [e.kind, e.wallet_part, e.amount_micro_usd]);
    expect(grants.sort()).toEqual([
      ['grant', 'paid', 9_000_000],
      ['grant', 'promotional', 1_000_000],
    ]);
    const settlement = body.data[3];
    expect(settlement).toMatchObject({
      direction: 'debit',
      amount_usd: '0.20',
      released_micro_usd: 300_000,
      released_usd: '0.30',
    });
    expect(body.data[7]).toMatchObject({ direction: 'credit', reference: expect.any(String) });
    await expectLedgerBalanced(t.ctx);
  });

  it('pages with limit and next_token without gaps or repeats', async () => {
    for (const id of ['job_1', 'job_2', 'job_3']) await hold(id, 100_000n);
    const seen: string[] = [];
    let token: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = `?limit=2${token === null ? '' : `&token=${token}`}`;
      const body = (await ledger(query)).json();
      seen.push(...body.data.map((e: { id: string }) => e.id));
      token = body.next_token;
      expect(body.has_more).toBe(token !== null);
      if (token === null) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    await expectLedgerBalanced(t.ctx);
  });

  it('another account sees none of these entries, and the operator sees them all', async () => {
    await hold('job_a', 100_000n);
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    expect((await ledger('', bob.headers)).json().data).toEqual([]);
    const operator = operatorHeaders(await createOperatorToken(t.ctx));
    const viaAdmin = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/accounts/${t.ada.account_id}/ledger`,
      headers: operator,
    });
    expect(viaAdmin.json().data).toEqual((await ledger()).json().data);
    expect((await ledger('', operator)).statusCode).toBe(401);
  });

  it('a bad limit or token is 400 naming it; no key is 401', async () => {
    for (const [query, param] of [
      ['?limit=0', 'limit'],
      ['?limit=1000', 'limit'],
      ['?token=not-a-token', 'token'],
    ]) {
      const res = await ledger(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    }
    expect((await ledger('', {})).statusCode).toBe(401);
  });
});
