import { describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness.ts';
import { fullCardBody, postRateCard, putRateOverride } from '../../../test/rate-cards.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { DEFAULT_RATE_CARD_VERSION } from '../../pricing/default-card.ts';

const PHOTO_HD = 'avatar_iv_v.photo_avatar.hd';

/** A full card with one row changed by `edit`, or removed when `edit` returns null. */
function cardWith(index: number, edit: (row: Record<string, unknown>) => object | null) {
  const card = fullCardBody('bad');
  const edited = edit(card.rows[index]!);
  card.rows =
    edited === null
      ? card.rows.filter((_, at) => at !== index)
      : (card.rows.map((row, at) => (at === index ? edited : row)) as Record<string, unknown>[]);
  return card;
}

describe.each(dialects)('operator rate-card API on %s', (dialect) => {
  const t = useServer(dialect, { operator: true, customer: { username: 'ada' } });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.operator });
  const storedCards = () => t.ctx.db.selectFrom('rate_cards').selectAll().execute();

  it('an empty database lists the built-in default card as the active version', async () => {
    const res = await get('/admin/v1/rate-cards');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ has_more: false, next_token: null });
    expect(res.json().data).toEqual([
      expect.objectContaining({
        version: DEFAULT_RATE_CARD_VERSION,
        status: 'active',
        built_in: true,
      }),
    ]);
  });

  it('creates a scheduled version, lists it before the active one, and shows it by version', async () => {
    const effective_at_ms = t.ctx.clock.now_ms() + 3_600_000n;
    const created = await postRateCard(
      t.app,
      t.operator,
      fullCardBody('v2', { [PHOTO_HD]: '0.045' }, effective_at_ms),
    );
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().data).toMatchObject({
      version: 'v2',
      status: 'scheduled',
      effective_at_ms: Number(effective_at_ms),
    });
    const listed = (await get('/admin/v1/rate-cards')).json().data;
    expect(
      listed.map((card: { version: string; status: string }) => [card.version, card.status]),
    ).toEqual([
      ['v2', 'scheduled'],
      [DEFAULT_RATE_CARD_VERSION, 'active'],
    ]);
    const shown = (await get('/admin/v1/rate-cards/v2')).json().data;
    expect(shown.rows.find((row: { sku: string }) => row.sku === PHOTO_HD)).toMatchObject({
      rate_usd: '0.045',
      rate_micro_usd: 45_000,
    });
    t.ctx.clock.advance(3_600_000n);
    expect((await get('/admin/v1/rate-cards/v2')).json().data.status).toBe('active');
    expect(
      (await get(`/admin/v1/rate-cards/${DEFAULT_RATE_CARD_VERSION}`)).json().data.status,
    ).toBe('superseded');
  });

  it('pages through versions with limit and token', async () => {
    for (const version of ['a', 'b', 'c']) {
      expect((await postRateCard(t.app, t.operator, fullCardBody(version))).statusCode).toBe(200);
      t.ctx.clock.advance(1n);
    }
    const seen: string[] = [];
    let url = '/admin/v1/rate-cards?limit=2';
    for (let page = 0; page < 5; page++) {
      const body = (await get(url)).json();
      seen.push(...body.data.map((card: { version: string }) => card.version));
      if (!body.has_more) break;
      url = `/admin/v1/rate-cards?limit=2&token=${body.next_token}`;
    }
    expect(seen).toEqual(['c', 'b', 'a', DEFAULT_RATE_CARD_VERSION]);
  });

  it('replays a POST under the same Idempotency-Key and refuses a taken version with 409', async () => {
    const keyed = { ...t.operator, 'idempotency-key': 'card-v2' };
    const body = fullCardBody('v2');
    const first = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/rate-cards',
      headers: keyed,
      payload: body,
    });
    const replay = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/rate-cards',
      headers: keyed,
      payload: body,
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
    t.ctx.clock.advance(1n);
    const taken = await postRateCard(t.app, t.operator, body);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'rate_card_version_taken', param: 'version' });
    const builtIn = await postRateCard(t.app, t.operator, fullCardBody(DEFAULT_RATE_CARD_VERSION));
    expect(builtIn.statusCode).toBe(409);
    expect(await storedCards()).toHaveLength(1);
  });

  it.each([
    [
      'an inexact rate',
      cardWith(0, (row) => ({ ...row, rate_usd: '0.0500001' })),
      'rows.0.rate_usd',
    ],
    [
      'a rate as a JSON number',
      cardWith(1, (row) => ({ ...row, rate_usd: 0.0667 })),
      'rows.1.rate_usd',
    ],
    [
      'a rate that is not a decimal',
      cardWith(2, (row) => ({ ...row, rate_usd: '1e-2' })),
      'rows.2.rate_usd',
    ],
    ['a zero rate', cardWith(2, (row) => ({ ...row, rate_usd: '0' })), 'rows.2.rate_usd'],
    ['a missing row', cardWith(0, () => null), 'rows'],
    [
      'an unknown sku',
      cardWith(3, (row) => ({ ...row, sku: 'avatar_vi.photo_avatar.hd' })),
      'rows.3.sku',
    ],
    ['a sku twice', cardWith(3, (row) => ({ ...row, sku: PHOTO_HD })), 'rows.3.sku'],
    [
      'a per-second sku priced per call',
      cardWith(0, (row) => ({ ...row, unit: 'call' })),
      'rows.0.unit',
    ],
    [
      'an increment on a flat row',
      cardWith(12, (row) => ({ ...row, increment_ms: 1000 })),
      'rows.12.increment_ms',
    ],
    [
      'no rate on a self-serve row',
      cardWith(0, (row) => ({ ...row, rate_usd: null })),
      'rows.0.rate_usd',
    ],
    ['an unknown field', cardWith(0, (row) => ({ ...row, discount: '5%' })), 'rows.0.discount'],
    ['a bad version', { ...fullCardBody('v2'), version: 'has space' }, 'version'],
    ['an effective_at in the past', fullCardBody('v2', {}, 1n), 'effective_at'],
    [
      'an effective_at that is not a time',
      { ...fullCardBody('v2'), effective_at: 'soon' },
      'effective_at',
    ],
    ['no rows', { ...fullCardBody('v2'), rows: [] }, 'rows'],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_name, body, param) => {
    const res = await postRateCard(t.app, t.operator, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect(await storedCards()).toEqual([]);
  });

  it('refuses a second card taking effect at the same instant', async () => {
    const at = t.ctx.clock.now_ms() + 1_000n;
    expect((await postRateCard(t.app, t.operator, fullCardBody('x', {}, at))).statusCode).toBe(200);
    const rival = await postRateCard(t.app, t.operator, fullCardBody('y', {}, at));
    expect(rival.statusCode).toBe(400);
    expect(rival.json().error.param).toBe('effective_at');
  });

  it('an unknown version is 404', async () => {
    const res = await get('/admin/v1/rate-cards/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', param: 'version' });
  });

  it('sets overrides as new versions, lists them newest first, and removes the active one', async () => {
    const url = `/admin/v1/accounts/${t.ada.account_id}/rate-overrides`;
    const first = await putRateOverride(t.app, t.operator, t.ada.account_id, {
      rows: [{ sku: 'video_translation.proofread', rate_usd: '0.1' }],
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().data).toMatchObject({ version: 1, active: true });
    t.ctx.clock.advance(1n);
    const second = await putRateOverride(t.app, t.operator, t.ada.account_id, {
      rows: [{ sku: PHOTO_HD, rate_usd: '0.04', minimum_ms: 5000 }],
      memo: 'discount',
    });
    expect(second.json().data).toMatchObject({ version: 2, active: true, memo: 'discount' });
    const retried = await putRateOverride(t.app, t.operator, t.ada.account_id, {
      rows: [{ sku: PHOTO_HD, rate_usd: '0.04', minimum_ms: 5000 }],
      memo: 'discount',
    });
    expect(retried.json().data).toMatchObject({ id: second.json().data.id, version: 2 });
    const listed = (await get(url)).json().data;
    expect(listed.map((o: { version: number; active: boolean }) => [o.version, o.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(listed[1].rows).toEqual([
      expect.objectContaining({ rate_micro_usd: 100_000, unit: 'second' }),
    ]);
    const removed = await t.app.inject({ method: 'DELETE', url, headers: t.operator });
    expect(removed.json().data.removed).toMatchObject({ version: 2, active: false });
    const again = await t.app.inject({ method: 'DELETE', url, headers: t.operator });
    expect(again.json().data.removed).toBeNull();
  });

  it.each([
    ['an unknown sku', { rows: [{ sku: 'lipsync.turbo', rate_usd: '0.01' }] }, 'rows.0.sku'],
    ['an inexact rate', { rows: [{ sku: PHOTO_HD, rate_usd: '0.0000001' }] }, 'rows.0.rate_usd'],
    [
      'a sku twice',
      {
        rows: [
          { sku: PHOTO_HD, rate_usd: '0.01' },
          { sku: PHOTO_HD, rate_usd: '0.02' },
        ],
      },
      'rows.1.sku',
    ],
    ['no rows', { rows: [] }, 'rows'],
    ['a null rate', { rows: [{ sku: PHOTO_HD, rate_usd: null }] }, 'rows.0.rate_usd'],
  ])(
    'refuses an override with %s (400 naming the field), writing nothing',
    async (_name, body, param) => {
      const res = await putRateOverride(t.app, t.operator, t.ada.account_id, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
      expect(await t.ctx.db.selectFrom('rate_overrides').selectAll().execute()).toEqual([]);
    },
  );

  it('an override for an unknown account is 404', async () => {
    const res = await putRateOverride(t.app, t.operator, 'acct_nobody', {
      rows: [{ sku: PHOTO_HD, rate_usd: '0.01' }],
    });
    expect(res.statusCode).toBe(404);
    expect((await get('/admin/v1/accounts/acct_nobody/rate-overrides')).statusCode).toBe(404);
  });

  it('needs the operator token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/rate-cards',
      headers: t.ada.headers,
    });
    expect(res.statusCode).toBe(401);
  });
});
