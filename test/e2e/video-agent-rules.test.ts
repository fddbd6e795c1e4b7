import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import { AGENT_VIDEOS_PER_SESSION_MAX } from '../../src/products/agent.ts';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { lipsyncApi, SPEED_MARKED } from '../lipsyncs.ts';
import { useServer } from '../server-fixture.ts';
import {
  CHAT_FIRST_MICRO_USD,
  CHAT_MARKED,
  FOLLOW_UP,
  FOLLOW_UP_MICRO_USD,
  GENERATE_MARKED,
  GENERATE_MARKED_MICRO_USD,
  videoAgentApi,
} from '../video-agents.ts';
import { drainWorker, jobRow, submit } from '../videos.ts';

const FUNDED_MICRO_USD = 50_000_000n;
const LATENCY_MS = 5_000n;

// Videos take 5 s to render, so a test can act while one is in flight.
describe.each(dialects)('Video Agent session rules on %s', (dialect) => {
  const t = useServer(dialect, {
    env: { TOLLGATE_SIMULATOR_LATENCY_MS: String(LATENCY_MS) },
    customer: { paid_micro_usd: FUNDED_MICRO_USD, concurrency_limit: 2 },
  });
  let api: ReturnType<typeof videoAgentApi>;
  beforeEach(() => {
    api = videoAgentApi(t.app, t.ada);
  });

  const create = async (body: object): Promise<string> => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.session_id;
  };
  const status = async (id: string) => (await api.get(id)).json().data.status;
  /** Starts what is admitted, then lets every render finish. */
  const finishRenders = async () => {
    await drainWorker(t.ctx);
    t.ctx.clock.advance(LATENCY_MS);
    await drainWorker(t.ctx);
  };

  it('stopping mid-video pays for the finished video only; the unfinished one is voided', async () => {
    const id = await create(CHAT_MARKED);
    await finishRenders();
    expect(await status(id)).toBe('waiting_for_input');
    expect((await api.send(id, FOLLOW_UP)).statusCode).toBe(200);
    await drainWorker(t.ctx);
    expect(await status(id)).toBe('generating');
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(FOLLOW_UP_MICRO_USD);
    const stopped = await api.stop(id);
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json()).toEqual({ data: { session_id: id } });
    await finishRenders();
    const [unfinished, finished] = (await api.videos(id)).json().data;
    expect(unfinished).toMatchObject({ status: 'failed', failure_code: 'cancelled' });
    expect(finished).toMatchObject({ status: 'completed', duration: 10 });
    const session = (await api.get(id)).json().data;
    expect(session).toMatchObject({ status: 'completed' });
    expect(session.messages[0]).toMatchObject({ role: 'model', content: 'Session stopped.' });
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: CHAT_FIRST_MICRO_USD,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a session stopped before it finished a video fails and costs nothing; stopping again is 409', async () => {
    const id = await create(GENERATE_MARKED);
    await drainWorker(t.ctx);
    expect(await status(id)).toBe('generating');
    expect((await api.stop(id)).statusCode).toBe(200);
    expect(await status(id)).toBe('failed');
    const again = await api.stop(id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('session_ended');
    await finishRenders();
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a message is for chat sessions waiting for input: generate is 400 naming mode, busy and ended are 409', async () => {
    const generate = await create(GENERATE_MARKED);
    const notChat = await api.send(generate, FOLLOW_UP);
    expect(notChat.statusCode).toBe(400);
    expect(notChat.json().error).toMatchObject({ code: 'invalid_parameter', param: 'mode' });
    const chat = await create(CHAT_MARKED);
    const busy = await api.send(chat, FOLLOW_UP);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('session_busy');
    await finishRenders();
    expect((await api.stop(chat)).statusCode).toBe(200);
    const ended = await api.send(chat, FOLLOW_UP);
    expect(ended.statusCode).toBe(409);
    expect(ended.json().error.code).toBe('session_ended');
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(
      GENERATE_MARKED_MICRO_USD + CHAT_FIRST_MICRO_USD,
    );
    await expectLedgerBalanced(t.ctx);
  });

  it(`a session makes at most ${AGENT_VIDEOS_PER_SESSION_MAX} videos; one more is 409 and holds nothing`, async () => {
    const id = await create(CHAT_MARKED);
    await finishRenders();
    for (let made = 1; made < AGENT_VIDEOS_PER_SESSION_MAX; made++) {
      expect((await api.send(id, { message: `Again [simulate:duration=1]` })).statusCode).toBe(200);
      await finishRenders();
    }
    const refused = await api.send(id, FOLLOW_UP);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('video_limit_reached');
    expect((await api.videos(id)).json().data).toHaveLength(AGENT_VIDEOS_PER_SESSION_MAX);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a session in flight, even waiting for input, takes one shared slot; its videos take none', async () => {
    const chat = await create(CHAT_MARKED);
    await finishRenders();
    expect(await status(chat)).toBe('waiting_for_input');
    expect((await api.send(chat, FOLLOW_UP)).statusCode).toBe(200); // its second video: no slot
    expect((await lipsyncApi(t.app, t.ada).create(SPEED_MARKED)).statusCode).toBe(200);
    const video = { type: 'avatar', avatar_id: 'look_photo_lena', script: 'Hello.' };
    for (const refused of [await api.create(GENERATE_MARKED), await submit(t.app, t.ada, video)]) {
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limit_exceeded');
    }
    expect((await api.stop(chat)).statusCode).toBe(200);
    expect((await api.create(GENERATE_MARKED)).statusCode).toBe(200);
    await finishRenders();
    await expectLedgerBalanced(t.ctx);
  });

  it('a chat session idle past agent_session_idle_ms is closed, freeing its slot, and keeps its charge', async () => {
    const id = await create(CHAT_MARKED);
    await finishRenders();
    await create(GENERATE_MARKED);
    expect((await api.create(GENERATE_MARKED)).statusCode).toBe(429);
    t.ctx.clock.advance(DEFAULT_LIMITS.agent_session_idle_ms - 1n);
    await drainWorker(t.ctx);
    expect(await status(id)).toBe('waiting_for_input');
    t.ctx.clock.advance(1n);
    await drainWorker(t.ctx);
    expect(await status(id)).toBe('completed');
    expect((await jobRow(t.ctx, id)).charged_amount_micro_usd).toBe(CHAT_FIRST_MICRO_USD);
    expect((await api.create(GENERATE_MARKED)).statusCode).toBe(200);
    await finishRenders();
    await expectLedgerBalanced(t.ctx);
  });

  it('a video whose hold expires fails for free, and so does its generate session', async () => {
    const id = await create(GENERATE_MARKED);
    t.ctx.clock.advance(DEFAULT_LIMITS.hold_ttl_ms);
    await drainWorker(t.ctx);
    expect(await status(id)).toBe('failed');
    const [video] = (await api.videos(id)).json().data;
    expect(video).toMatchObject({ status: 'failed', failure_code: 'hold_expired' });
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: 0n,
    });
    await expectLedgerBalanced(t.ctx);
  });
});

describe.each(dialects)('Video Agent requests on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });
  let api: ReturnType<typeof videoAgentApi>;
  beforeEach(() => {
    api = videoAgentApi(t.app, t.ada);
  });

  const url = { type: 'url', url: 'https://media.example/logo.png' };
  it.each([
    ['no prompt', { mode: 'chat' }, 'prompt'],
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['a prompt over 10,000 characters', { prompt: 'x'.repeat(10_001) }, 'prompt'],
    ['an unknown mode', { prompt: 'Hi', mode: 'batch' }, 'mode'],
    ['an unknown orientation', { prompt: 'Hi', orientation: 'square' }, 'orientation'],
    ['21 files', { prompt: 'Hi', files: Array(21).fill(url) }, 'files'],
    ['a url file without its url', { prompt: 'Hi', files: [url, { type: 'url' }] }, 'files.1.url'],
    [
      'a base64 file without data',
      { prompt: 'Hi', files: [{ type: 'base64', media_type: 'image/png' }] },
      'files.0.data',
    ],
    ['an unknown file type', { prompt: 'Hi', files: [{ type: 'ftp' }] }, 'files.0.type'],
    ['duration_sec under 5', { prompt: 'Hi', duration_sec: 4 }, 'duration_sec'],
    ['duration_sec over 300', { prompt: 'Hi', duration_sec: 301 }, 'duration_sec'],
    ['a voice not in the catalog', { prompt: 'Hi', voice_id: 'voice_nope' }, 'voice_id'],
    [
      'a callback_id over 255 characters',
      { prompt: 'Hi', callback_id: 'x'.repeat(256) },
      'callback_id',
    ],
  ])(
    'create refuses %s with a 400 naming the field, writing nothing',
    async (_name, body, param) => {
      const res = await api.create(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
      expect((await api.list()).json().data).toEqual([]);
      expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
    },
  );

  it.each([
    ['no message', {}, 'message'],
    ['an empty message', { message: '' }, 'message'],
    ['a message over 10,000 characters', { message: 'x'.repeat(10_001) }, 'message'],
    ['21 files', { message: 'Hi', files: Array(21).fill(url) }, 'files'],
  ])('a message refuses %s with a 400 naming the field', async (_name, body, param) => {
    const id = (await api.create(CHAT_MARKED)).json().data.session_id;
    await drainWorker(t.ctx);
    const res = await api.send(id, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param });
    expect((await api.get(id)).json().data.status).toBe('waiting_for_input');
  });

  it('the list refuses a limit out of 1–100, naming limit', async () => {
    for (const limit of [0, 101]) {
      const res = await api.list(`?limit=${limit}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.param).toBe('limit');
    }
  });

  it('the list shows sessions only, newest first, in pages of HeyGen shape', async () => {
    const first = (await api.create(GENERATE_MARKED)).json().data.session_id;
    t.ctx.clock.advance(1_000n);
    const second = (await api.create(CHAT_MARKED)).json().data.session_id;
    expect((await lipsyncApi(t.app, t.ada).create(SPEED_MARKED)).statusCode).toBe(200);
    const page1 = (await api.list('?limit=1')).json();
    expectHeygenShape('get_v3_video_agents.yaml', page1);
    expect(page1).toMatchObject({ data: [{ session_id: second }], has_more: true });
    const page2 = (await api.list(`?limit=1&token=${page1.next_token}`)).json();
    expect(page2).toMatchObject({ data: [{ session_id: first }], has_more: false });
    await drainWorker(t.ctx);
    await expectLedgerBalanced(t.ctx);
  });

  it("another account's session is a 404 naming session_id everywhere, and so is a video id", async () => {
    const id = (await api.create(CHAT_MARKED)).json().data.session_id;
    await drainWorker(t.ctx);
    const bob = videoAgentApi(
      t.app,
      await createCustomer(t.ctx, { username: 'bob', paid_micro_usd: FUNDED_MICRO_USD }),
    );
    for (const res of [
      await bob.get(id),
      await bob.send(id, FOLLOW_UP),
      await bob.stop(id),
      await bob.videos(id),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', param: 'session_id' });
    }
    expect((await bob.list()).json().data).toEqual([]);
    const videoId = (await api.get(id)).json().data.video_id;
    expect((await api.get(videoId)).statusCode).toBe(404);
    expect((await api.get(id)).json().data.status).toBe('waiting_for_input');
    await expectLedgerBalanced(t.ctx);
  });

  it('a test session holds and charges nothing', async () => {
    const id = (await api.create({ ...GENERATE_MARKED, test: true })).json().data.session_id;
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
    await drainWorker(t.ctx);
    const data = (await api.get(id)).json().data;
    expect(data).toMatchObject({
      status: 'completed',
      billing: { test: true, charged_amount_micro_usd: 0 },
    });
    expect((await balanceOf(t.ctx, t.ada)).settled_micro_usd).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });
});
