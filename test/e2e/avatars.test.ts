import { beforeEach, describe, expect, it } from 'vitest';
import {
  AVATAR_CREATION_MICRO_USD,
  avatarApi,
  DIGITAL_TWIN,
  PHOTO_AVATAR,
  PROMPT_AVATAR,
} from '../avatars.ts';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { useServer } from '../server-fixture.ts';
import { drainWorker, jobRow, SCRIPT_150_CHARS, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 20_000_000n;

describe.each(dialects)('avatar creation through HTTP on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });
  let api: ReturnType<typeof avatarApi>;
  beforeEach(() => {
    api = avatarApi(t.app, t.ada);
  });

  const create = async (body: object) => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('post_v3_avatars.yaml', res.json());
    return res.json().data as {
      avatar_item: { id: string; group_id: string; avatar_type: string; status: string };
      avatar_group: { id: string; looks_count: number };
    };
  };

  it.each([
    ['photo', PHOTO_AVATAR, 'photo_avatar', 'avatar_creation.photo_avatar'],
    ['digital_twin', DIGITAL_TWIN, 'digital_twin', 'avatar_creation.digital_twin'],
    ['prompt (a photo avatar)', PROMPT_AVATAR, 'photo_avatar', 'avatar_creation.photo_avatar'],
  ])(
    'a %s avatar holds $1.00 at submission and is charged exactly $1.00 when training completes',
    async (_name, body, avatar_type, sku) => {
      const created = await create(body);
      const look_id = created.avatar_item.id;
      expect(created.avatar_item).toMatchObject({ avatar_type, status: 'processing' });
      expect(created.avatar_group).toMatchObject({
        id: created.avatar_item.group_id,
        looks_count: 1,
      });
      expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
        held_micro_usd: AVATAR_CREATION_MICRO_USD,
        settled_micro_usd: 0n,
      });
      expect((await jobRow(t.ctx, look_id)).sku).toBe(sku);
      await drainWorker(t.ctx);
      const look = (await api.look(look_id)).json();
      expectHeygenShape('get_v3_avatars_looks_look_id.yaml', look);
      expect(look.data).toMatchObject({ id: look_id, avatar_type, status: 'completed' });
      expect((await jobRow(t.ctx, look_id)).charged_amount_micro_usd).toBe(
        AVATAR_CREATION_MICRO_USD,
      );
      expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
        held_micro_usd: 0n,
        settled_micro_usd: AVATAR_CREATION_MICRO_USD,
        available_micro_usd: FUNDED_MICRO_USD - AVATAR_CREATION_MICRO_USD,
      });
      expect(await t.wallet()).toMatchObject({
        remaining_balance_micro_usd: Number(FUNDED_MICRO_USD - AVATAR_CREATION_MICRO_USD),
        settled_micro_usd: Number(AVATAR_CREATION_MICRO_USD),
      });
      await expectLedgerBalanced(t.ctx);
    },
  );

  it('a failed training costs nothing and its look says failed, with the reason', async () => {
    const body = {
      ...PHOTO_AVATAR,
      file: { type: 'url', url: 'https://m.example/a.jpg#simulate:fail' },
    };
    const { avatar_item } = await create(body);
    await drainWorker(t.ctx);
    const look = (await api.look(avatar_item.id)).json();
    expectHeygenShape('get_v3_avatars_looks_look_id.yaml', look);
    expect(look.data.status).toBe('failed');
    expect(look.data.error.message).toMatch(/simulate:fail/);
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
      available_micro_usd: FUNDED_MICRO_USD,
    });
    const video = await submit(t.app, t.ada, {
      type: 'avatar',
      avatar_id: avatar_item.id,
      script: 'Hi.',
    });
    expect(video.statusCode).toBe(400);
    expect(video.json().error.param).toBe('avatar_id');
    await expectLedgerBalanced(t.ctx);
  });

  it.each([
    ['digital twin', DIGITAL_TWIN, 667_000n],
    ['photo avatar', PHOTO_AVATAR, 500_000n],
  ])(
    'a %s look renders videos once completed (a 400 naming avatar_id while training), priced by its type',
    async (_name, body, videoMicroUsd) => {
      const { avatar_item } = await create(body);
      const video = {
        type: 'avatar',
        avatar_id: avatar_item.id,
        resolution: '1080p',
        script: SCRIPT_150_CHARS,
      };
      const early = await submit(t.app, t.ada, video);
      expect(early.statusCode).toBe(400);
      expect(early.json().error).toMatchObject({ code: 'invalid_parameter', param: 'avatar_id' });
      expect(early.json().error.message).toMatch(/training/);
      await drainWorker(t.ctx);
      const res = await submit(t.app, t.ada, video);
      expect(res.statusCode, res.body).toBe(200);
      const video_id = res.json().data.video_id;
      await drainWorker(t.ctx);
      expect((await jobRow(t.ctx, video_id)).charged_amount_micro_usd).toBe(videoMicroUsd);
      expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(
        AVATAR_CREATION_MICRO_USD + videoMicroUsd,
      );
      await expectLedgerBalanced(t.ctx);
    },
  );

  it("another account's look, group and training are 404s; its lists never show them", async () => {
    const { avatar_item } = await create(PHOTO_AVATAR);
    await drainWorker(t.ctx);
    const bob = await createCustomer(t.ctx, { username: 'bob', paid_micro_usd: 5_000_000n });
    const bobApi = avatarApi(t.app, bob);
    for (const res of [await bobApi.look(avatar_item.id), await bobApi.remove(avatar_item.id)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'look_id' });
    }
    const video = await submit(t.app, bob, {
      type: 'avatar',
      avatar_id: avatar_item.id,
      script: 'Hi.',
    });
    expect(video.statusCode).toBe(404);
    expect(video.json().error.param).toBe('avatar_id');
    const join = await bobApi.create({ ...PHOTO_AVATAR, avatar_group_id: avatar_item.group_id });
    expect(join.statusCode).toBe(404);
    expect(join.json().error.param).toBe('avatar_group_id');
    expect((await bobApi.looks('?ownership=private')).json().data).toEqual([]);
    expect((await bobApi.groups('?ownership=private')).json().data).toEqual([]);
    expect((await balanceOf(t.ctx, bob)).held_micro_usd).toBe(0n);
    expect((await api.look(avatar_item.id)).statusCode).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });

  it('a look joins the group it names; lists show public looks first, then the account’s, in pages', async () => {
    const first = await create(PHOTO_AVATAR);
    const group_id = first.avatar_item.group_id;
    // A group is named after its earliest look: the second look comes a second later.
    t.ctx.clock.advance(1_000n);
    const second = await create({ ...DIGITAL_TWIN, avatar_group_id: group_id });
    expect(second.avatar_item.group_id).toBe(group_id);
    expect(second.avatar_group).toMatchObject({ id: group_id, looks_count: 2 });
    await create(PROMPT_AVATAR);
    await drainWorker(t.ctx);

    const inGroup = (await api.looks(`?group_id=${group_id}`)).json();
    expectHeygenShape('get_v3_avatars_looks.yaml', inGroup);
    expect(inGroup.data.map((look: { id: string }) => look.id).sort()).toEqual(
      [first.avatar_item.id, second.avatar_item.id].sort(),
    );
    const twins = (await api.looks('?ownership=private&avatar_type=digital_twin')).json();
    expect(twins.data.map((look: { id: string }) => look.id)).toEqual([second.avatar_item.id]);

    const seen: string[] = [];
    let query = '?limit=5';
    for (let page = 0; page < 5; page++) {
      const body = (await api.looks(query)).json();
      expectHeygenShape('get_v3_avatars_looks.yaml', body);
      seen.push(...body.data.map((look: { id: string }) => look.id));
      if (!body.has_more) break;
      query = `?limit=5&token=${body.next_token}`;
    }
    expect(seen).toHaveLength(9 + 3);
    expect(new Set(seen).size).toBe(12);
    expect(seen.slice(9).sort()).toEqual(
      (await api.looks('?ownership=private'))
        .json()
        .data.map((l: { id: string }) => l.id)
        .sort(),
    );

    const groups = (await api.groups('?ownership=private')).json();
    expectHeygenShape('get_v3_avatars.yaml', groups);
    expect(groups.data).toHaveLength(2);
    expect(groups.data.find((g: { id: string }) => g.id === group_id)).toMatchObject({
      name: PHOTO_AVATAR.name,
      looks_count: 2,
      status: 'completed',
    });
    const all = (await api.groups('?limit=9')).json();
    expectHeygenShape('get_v3_avatars.yaml', all);
    expect(all.has_more).toBe(true);
    const rest = (await api.groups(`?limit=9&token=${all.next_token}`)).json();
    expect(rest).toMatchObject({ has_more: false, next_token: null });
    expect(rest.data).toHaveLength(2);
    await expectLedgerBalanced(t.ctx);
  });

  it('deleting a look in training cancels it for free; a completed one keeps its charge; a public one is 403', async () => {
    const training = await create(PHOTO_AVATAR);
    const done = await create(DIGITAL_TWIN);
    const deleted = await api.remove(training.avatar_item.id);
    expect(deleted.statusCode).toBe(200);
    expectHeygenShape('delete_v3_avatars_looks_look_id.yaml', deleted.json());
    expect(deleted.json()).toEqual({ data: { id: training.avatar_item.id } });
    expect((await jobRow(t.ctx, training.avatar_item.id)).status).toBe('cancelled');
    await drainWorker(t.ctx);
    expect((await api.remove(done.avatar_item.id)).statusCode).toBe(200);
    for (const look_id of [training.avatar_item.id, done.avatar_item.id]) {
      expect((await api.look(look_id)).statusCode).toBe(404);
      expect((await api.remove(look_id)).statusCode).toBe(404);
    }
    // The group ended with its last look.
    const join = await api.create({ ...PHOTO_AVATAR, avatar_group_id: done.avatar_item.group_id });
    expect(join.statusCode).toBe(404);
    const video = await submit(t.app, t.ada, {
      type: 'avatar',
      avatar_id: done.avatar_item.id,
      script: 'Hi.',
    });
    expect(video.statusCode).toBe(404);
    const publicLook = await api.remove('look_photo_lena');
    expect(publicLook.statusCode).toBe(403);
    expect(publicLook.json().error).toMatchObject({ code: 'forbidden', param: 'look_id' });
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: AVATAR_CREATION_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it.each([
    ['an unknown type', { ...PHOTO_AVATAR, type: 'video' }, 'type'],
    ['no name', { type: 'photo', file: PHOTO_AVATAR.file }, 'name'],
    ['an empty name', { ...PHOTO_AVATAR, name: '' }, 'name'],
    ['a name over 255 characters', { ...PHOTO_AVATAR, name: 'x'.repeat(256) }, 'name'],
    ['a photo without its file', { type: 'photo', name: 'x' }, 'file'],
    ['a url file without its url', { ...PHOTO_AVATAR, file: { type: 'url' } }, 'file.url'],
    ['a base64 file', { ...PHOTO_AVATAR, file: { type: 'base64', data: 'AA' } }, 'file.type'],
    ['a prompt avatar without its prompt', { type: 'prompt', name: 'x' }, 'prompt'],
    ['a prompt over 1,000 characters', { ...PROMPT_AVATAR, prompt: 'x'.repeat(1_001) }, 'prompt'],
    [
      'more than 3 reference images',
      { ...PROMPT_AVATAR, reference_images: Array(4).fill(PHOTO_AVATAR.file) },
      'reference_images',
    ],
    ['a prompt on a photo avatar', { ...PHOTO_AVATAR, prompt: 'smiling' }, 'prompt'],
    ['a file on a prompt avatar', { ...PROMPT_AVATAR, file: PHOTO_AVATAR.file }, 'file'],
    ['an empty avatar_group_id', { ...PHOTO_AVATAR, avatar_group_id: '' }, 'avatar_group_id'],
  ])('refuses %s with a 400 naming the field, holding nothing', async (_name, body, param) => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('refuses list limits out of 1–50, an unknown avatar_type or ownership and a forged token', async () => {
    for (const [url, param] of [
      ['/v3/avatars?limit=51', 'limit'],
      ['/v3/avatars?limit=0', 'limit'],
      ['/v3/avatars?ownership=mine', 'ownership'],
      ['/v3/avatars?token=bm9wZQ', 'token'],
      ['/v3/avatars/looks?avatar_type=cartoon', 'avatar_type'],
      ['/v3/avatars/looks?token=bm9wZQ', 'token'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: t.ada.headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.param, url).toBe(param);
    }
  });

  it('an unknown group or reference look is a 404 naming the field', async () => {
    const group = await api.create({ ...PHOTO_AVATAR, avatar_group_id: 'group_nobody' });
    expect(group.statusCode).toBe(404);
    expect(group.json().error.param).toBe('avatar_group_id');
    const reference = await api.create({ ...PROMPT_AVATAR, avatar_id: 'look_nobody' });
    expect(reference.statusCode).toBe(404);
    expect(reference.json().error.param).toBe('avatar_id');
  });

  it('a prompt avatar with a reference look joins that look’s group', async () => {
    const { avatar_item } = await create(PHOTO_AVATAR);
    const derived = await create({ ...PROMPT_AVATAR, avatar_id: avatar_item.id });
    expect(derived.avatar_item.group_id).toBe(avatar_item.group_id);
    expect(derived.avatar_group.looks_count).toBe(2);
    await expectLedgerBalanced(t.ctx);
  });

  it('a replayed create with the same Idempotency-Key trains (and holds for) one look', async () => {
    const headers = { ...t.ada.headers, 'idempotency-key': 'avatar-1' };
    const post = () =>
      t.app.inject({ method: 'POST', url: '/v3/avatars', headers, payload: PHOTO_AVATAR });
    const first = await post();
    const second = await post();
    expect(first.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect((await api.looks('?ownership=private')).json().data).toHaveLength(1);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(AVATAR_CREATION_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('a quote of an avatar body answers the flat $1.00 hold and writes nothing', async () => {
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=avatars',
      headers: t.ada.headers,
      payload: DIGITAL_TWIN,
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json().data).toMatchObject({
      product: 'avatar_creation',
      sku: 'avatar_creation.digital_twin',
      rate_usd: '1.00',
      estimate_rule: 'flat_per_call',
      hold_amount_micro_usd: Number(AVATAR_CREATION_MICRO_USD),
    });
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('an account short of $1.00 is refused with 402 and nothing is written', async () => {
    const poor = await createCustomer(t.ctx, { username: 'poor', paid_micro_usd: 999_999n });
    const res = await avatarApi(t.app, poor).create(PHOTO_AVATAR);
    expect(res.statusCode).toBe(402);
    expect(res.json().error.code).toBe('insufficient_credit');
    expect((await avatarApi(t.app, poor).looks('?ownership=private')).json().data).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });
});

describe.each(dialects)('avatar trainings and the shared concurrency limit on %s', (dialect) => {
  const t = useServer(dialect, { env: { TOLLGATE_SIMULATOR_LATENCY_MS: '5000' } });

  it('a training in flight takes a slot: with a limit of 2, the third job of any product is 429', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n, concurrency_limit: 2 });
    const api = avatarApi(t.app, ada);
    const video = { type: 'avatar', avatar_id: 'look_photo_lena', script: 'Hello.' };
    expect((await api.create(PHOTO_AVATAR)).statusCode).toBe(200);
    expect((await submit(t.app, ada, video)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    for (const refused of [await api.create(DIGITAL_TWIN), await submit(t.app, ada, video)]) {
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limit_exceeded');
    }
    t.ctx.clock.advance(5_000n);
    await drainWorker(t.ctx);
    expect((await api.create(DIGITAL_TWIN)).statusCode).toBe(200);
    await expectLedgerBalanced(t.ctx);
  });
});
