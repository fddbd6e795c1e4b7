import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../../test/customers.ts';
import {
  createTestContext,
  dialects,
  expectLedgerBalanced,
  type TestContext,
} from '../../../test/harness.ts';
import { expectHeygenShape } from '../../../test/heygen-schemas.ts';
import { submit } from '../../../test/videos.ts';
import { buildServer } from '../server.ts';

const SCRIPT = { script: 'Hello there, this is a short script.' };
const AVATAR = { type: 'avatar', avatar_id: 'look_studio_marcus', ...SCRIPT };

describe.each(dialects)('video routes on %s', (dialect) => {
  let ctx: TestContext;
  let app: ReturnType<typeof buildServer>;
  let ada: Customer;

  async function open() {
    ctx = await createTestContext(dialect);
    app = buildServer(ctx);
    ada = await createCustomer(ctx, { paid_micro_usd: 10_000_000n });
  }
  async function close() {
    await app.close();
    await ctx.close();
  }

  // Refused requests write nothing, so these share one database.
  describe('validation', () => {
    beforeAll(open);
    afterAll(close);

    it.each([
      ['no speech source', { type: 'avatar', avatar_id: 'look_studio_marcus' }, 'script'],
      [
        'script and audio_url together',
        { ...AVATAR, audio_url: 'https://e.test/a.mp3' },
        'audio_url',
      ],
      ['a script over 5,000 characters', { ...AVATAR, script: 'x'.repeat(5_001) }, 'script'],
      ['an empty script', { ...AVATAR, script: '' }, 'script'],
      ['no avatar_id on type avatar', { type: 'avatar', ...SCRIPT }, 'avatar_id'],
      ['an avatar and an image', { ...AVATAR, image_url: 'https://e.test/i.png' }, 'image_url'],
      [
        'an image without a voice',
        { type: 'image', image_url: 'https://e.test/i.png', ...SCRIPT },
        'voice_id',
      ],
      ['a voice the catalog does not have', { ...AVATAR, voice_id: 'voice_nobody' }, 'voice_id'],
      [
        'two images',
        {
          type: 'image',
          image_url: 'https://e.test/i.png',
          image_asset_id: 'a1',
          voice_id: 'voice_en_olivia',
          ...SCRIPT,
        },
        'image_asset_id',
      ],
      [
        'an image url asset without its url',
        { type: 'image', image: { type: 'url' }, voice_id: 'voice_en_olivia', ...SCRIPT },
        'image.url',
      ],
      [
        'Avatar III on a raw image',
        {
          type: 'image',
          image_url: 'https://e.test/i.png',
          voice_id: 'voice_en_olivia',
          engine: { type: 'avatar_iii' },
          ...SCRIPT,
        },
        'engine.type',
      ],
      ['Avatar V on a studio avatar', { ...AVATAR, engine: { type: 'avatar_v' } }, 'engine.type'],
      ['an unknown engine', { ...AVATAR, engine: { type: 'avatar_ii' } }, 'engine.type'],
      ['an 8K resolution', { ...AVATAR, resolution: '8k' }, 'resolution'],
      [
        'audio_duration_ms with a script',
        { ...AVATAR, audio_duration_ms: 1_000 },
        'audio_duration_ms',
      ],
      [
        'audio longer than 10 minutes',
        {
          type: 'avatar',
          avatar_id: 'look_studio_marcus',
          audio_url: 'https://e.test/a.mp3',
          audio_duration_ms: 600_001,
        },
        'audio_duration_ms',
      ],
      ['a studio video', { type: 'studio', scenes: [] }, 'type'],
      [
        'cinematic with four looks',
        {
          type: 'cinematic_avatar',
          avatar_id: ['look_twin_sofia', 'look_twin_kenji', 'look_twin_amara', 'look_photo_lena'],
          prompt: 'Go.',
        },
        'avatar_id',
      ],
      [
        'cinematic with one look as a string',
        { type: 'cinematic_avatar', avatar_id: 'look_twin_sofia', prompt: 'Go.' },
        'avatar_id',
      ],
      [
        'cinematic without a prompt',
        { type: 'cinematic_avatar', avatar_id: ['look_twin_sofia'] },
        'prompt',
      ],
      [
        'cinematic of 3 seconds',
        { type: 'cinematic_avatar', avatar_id: ['look_twin_sofia'], prompt: 'Go.', duration: 3 },
        'duration',
      ],
      [
        'cinematic with a script',
        { type: 'cinematic_avatar', avatar_id: ['look_twin_sofia'], prompt: 'Go.', ...SCRIPT },
        'script',
      ],
    ])(
      'rejects %s with 400 invalid_parameter naming the field, holding nothing',
      async (_name, body, param) => {
        const res = await submit(app, ada, body);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
        expect(await ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
      },
    );

    it('an unknown avatar is 404 not_found naming avatar_id', async () => {
      const res = await submit(app, ada, { ...AVATAR, avatar_id: 'look_nobody' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'avatar_id' });
      const cinematic = await submit(app, ada, {
        type: 'cinematic_avatar',
        avatar_id: ['look_twin_sofia', 'nope'],
        prompt: 'Go.',
      });
      expect(cinematic.json().error).toMatchObject({ code: 'not_found', param: 'avatar_id[1]' });
    });
  });

  describe('reads and writes', () => {
    beforeEach(open);
    afterEach(close);

    it('accepts HeyGen’s nulls for optional fields and its fields Tollgate does not read', async () => {
      const body = {
        ...AVATAR,
        voice_id: null,
        audio_url: null,
        resolution: null,
        title: null,
        aspect_ratio: '9:16',
        background: { type: 'color', value: '#ffffff' },
      };
      const res = await submit(app, ada, body);
      expect(res.statusCode, res.body).toBe(200);
      expectHeygenShape('post_v3_videos.yaml', res.json());
      await expectLedgerBalanced(ctx);
    });

    it('lists videos newest first in pages, filters by title and reports an unknown token', async () => {
      const ids: string[] = [];
      for (const title of ['Alpha launch', 'beta LAUNCH', 'Gamma', 'Delta']) {
        ids.push((await submit(app, ada, { ...AVATAR, title })).json().data.video_id);
        ctx.clock.advance(1_000n);
      }
      const list = (query: string) =>
        app.inject({ method: 'GET', url: `/v3/videos?${query}`, headers: ada.headers });
      const first = (await list('limit=3')).json();
      expectHeygenShape('get_v3_videos.yaml', first);
      expect(first.data.map((video: { id: string }) => video.id)).toEqual([ids[3], ids[2], ids[1]]);
      expect(first.has_more).toBe(true);
      const second = (await list(`limit=3&token=${first.next_token}`)).json();
      expect(second).toMatchObject({ has_more: false, next_token: null });
      expect(second.data.map((video: { id: string }) => video.id)).toEqual([ids[0]]);
      const launches = (await list('title=launch')).json().data;
      expect(launches.map((video: { title: string }) => video.title)).toEqual([
        'beta LAUNCH',
        'Alpha launch',
      ]);
      expect((await list('title=100%25')).json().data).toEqual([]);
      expect((await list('folder_id=f1')).json().data).toEqual([]);
      expect((await list('limit=101')).statusCode).toBe(400);
      expect((await list('token=garbage')).json().error).toMatchObject({ param: 'token' });
      await expectLedgerBalanced(ctx);
    });

    it('every video route needs an API key', async () => {
      for (const [method, url] of [
        ['POST', '/v3/videos'],
        ['GET', '/v3/videos'],
        ['GET', '/v3/videos/x'],
        ['DELETE', '/v3/videos/x'],
      ] as const) {
        const res = await app.inject({
          method,
          url,
          payload: method === 'POST' ? AVATAR : undefined,
        });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    });
  });
});
