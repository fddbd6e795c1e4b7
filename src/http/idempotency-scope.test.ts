import { afterEach, describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { createOperatorToken, operatorHeaders } from '../../test/operator.ts';
import { useServer } from '../../test/server-fixture.ts';
import { PHOTO_720P, PHOTO_720P_HOLD_MICRO_USD } from '../../test/videos.ts';
import { getWalletBalance } from '../wallets/balance.ts';

/** `%xx` for the first letter of `text` that is not a digit, leaving the rest as is. */
function encodeOneLetter(text: string): string {
  const index = text.search(/[A-Za-z]/);
  const hex = text.charCodeAt(index).toString(16);
  return `${text.slice(0, index)}%${hex}${text.slice(index + 1)}`;
}

describe.each(dialects)('Idempotency-Key scope, whatever the URL spelling, on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 10_000_000n } });
  afterEach(async () => {
    await expectLedgerBalanced(t.ctx);
  });

  it('POST /v3/vide%6fs and /v3/videos with one key and body admit one job and one hold', async () => {
    const post = (url: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...t.ada.headers, 'idempotency-key': 'spelled-twice' },
        payload: PHOTO_720P,
      });
    const first = await post('/v3/videos');
    expect(first.statusCode).toBe(200);
    const again = await post('/v3/vide%6fs');
    const query = await post('/v3/videos?x=1');
    for (const res of [again, query]) {
      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body).toBe(first.body);
    }
    expect(await t.ctx.db.selectFrom('jobs').select('id').execute()).toHaveLength(1);
    const balance = await getWalletBalance(t.ctx.db, t.ada.account_id);
    expect(balance.held_micro_usd).toBe(PHOTO_720P_HOLD_MICRO_USD);
  });

  it('a grant with one letter of the account id percent-encoded credits once', async () => {
    const headers = {
      ...operatorHeaders(await createOperatorToken(t.ctx)),
      'idempotency-key': 'grant-once',
    };
    const grant = (account_id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/admin/v1/accounts/${account_id}/grants`,
        headers,
        payload: { amount_usd: '5.00', kind: 'paid', memo: null },
      });
    const encoded = encodeOneLetter(t.ada.account_id);
    expect(encoded).not.toBe(t.ada.account_id);
    const first = await grant(t.ada.account_id);
    expect(first.statusCode).toBe(200);
    const again = await grant(encoded);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const balance = await getWalletBalance(t.ctx.db, t.ada.account_id);
    expect(balance.granted_micro_usd).toBe(15_000_000n);
    expect(await t.ctx.db.selectFrom('grants').select('id').execute()).toHaveLength(2);
  });
});
