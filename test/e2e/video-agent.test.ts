import { beforeEach, describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { expectHeygenShape } from '../heygen-schemas.ts';
import { useServer } from '../server-fixture.ts';
import {
  CHAT_FIRST_MICRO_USD,
  CHAT_MARKED,
  FOLLOW_UP,
  FOLLOW_UP_MICRO_USD,
  GENERATE_MARKED,
  GENERATE_MARKED_MICRO_USD,
  GENERATE_UNSIZED,
  UNSIZED_CHARGE_MICRO_USD,
  UNSIZED_HOLD_MICRO_USD,
  videoAgentApi,
} from '../video-agents.ts';
import { drainWorker, jobRow } from '../videos.ts';

const FUNDED_MICRO_USD = 50_000_000n;

describe.each(dialects)('Video Agent sessions through HTTP on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: FUNDED_MICRO_USD } });
  let api: ReturnType<typeof videoAgentApi>;
  beforeEach(() => {
    api = videoAgentApi(t.app, t.ada);
  });

  const create = async (body: object): Promise<string> => {
    const res = await api.create(body);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('post_v3_video_agents.yaml', res.json());
    return res.json().data.session_id;
  };
  const session = async (id: string) => {
    const res = await api.get(id);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('get_v3_video_agents_session_id.yaml', res.json());
    return res.json().data;
  };
  const videos = async (id: string) => {
    const res = await api.videos(id);
    expect(res.statusCode, res.body).toBe(200);
    expectHeygenShape('get_v3_video_agents_session_id_videos.yaml', res.json());
    return res.json().data;
  };
  const expectCharged = async (amount: bigint) => {
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({
      held_micro_usd: 0n,
      settled_micro_usd: amount,
      available_micro_usd: FUNDED_MICRO_USD - amount,
    });
    expect(await t.wallet()).toMatchObject({
      remaining_balance_micro_usd: Number(FUNDED_MICRO_USD - amount),
      settled_micro_usd: Number(amount),
    });
    await expectLedgerBalanced(t.ctx);
  };

  it('generate mode: one video, held and charged the exact price of its marked 12 s', async () => {
    const id = await create(GENERATE_MARKED);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(GENERATE_MARKED_MICRO_USD);
    expect(await session(id)).toMatchObject({ status: 'thinking', progress: 10, video_id: null });
    await drainWorker(t.ctx);
    const done = await session(id);
    const [video] = await videos(id);
    expect(done).toMatchObject({ status: 'completed', progress: 100, video_id: video.id });
    expect(done.title).toBe('A 12-second product teaser');
    expect(done.messages.map((m: { role: string; type: string }) => [m.role, m.type])).toEqual([
      ['model', 'resource'],
      ['user', 'text'],
    ]);
    expect(done.messages[0].resource_ids).toEqual([video.id]);
    expect(done.billing).toMatchObject({
      videos: 1,
      charged_amount_micro_usd: Number(GENERATE_MARKED_MICRO_USD),
    });
    expect(video).toMatchObject({
      status: 'completed',
      duration: 12,
      video_url: `https://simulator.tollgate.example/videos/${video.id}.mp4`,
    });
    expect(video.billing).toMatchObject({
      sku: 'video_agent.prompt_to_video',
      estimate_rule: 'probed_source_duration',
      charged_amount_micro_usd: Number(GENERATE_MARKED_MICRO_USD),
    });
    await expectCharged(GENERATE_MARKED_MICRO_USD);
  });

  it('an unsized video is held at the 300 s maximum and charged its actual 30 s', async () => {
    const id = await create(GENERATE_UNSIZED);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(UNSIZED_HOLD_MICRO_USD);
    await drainWorker(t.ctx);
    expect((await videos(id))[0]).toMatchObject({ duration: 30 });
    await expectCharged(UNSIZED_CHARGE_MICRO_USD);
  });

  it('a requested duration_sec sizes the hold and the video exactly', async () => {
    const id = await create({ ...GENERATE_UNSIZED, duration_sec: 45 });
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(1_498_500n);
    await drainWorker(t.ctx);
    expect((await videos(id))[0].billing.estimate_rule).toBe('requested_duration');
    await expectCharged(1_498_500n);
  });

  it('chat mode: waits for input after each video; a message makes another, each held and charged on its own', async () => {
    const id = await create(CHAT_MARKED);
    await drainWorker(t.ctx);
    const waiting = await session(id);
    expect(waiting).toMatchObject({ status: 'waiting_for_input', progress: 100 });
    expect(waiting.messages[0].content).toMatch(/ready.*Send a message/);
    await expectCharged(CHAT_FIRST_MICRO_USD);

    t.ctx.clock.advance(1_000n); // newest first is by creation time
    const sent = await api.send(id, FOLLOW_UP);
    expect(sent.statusCode, sent.body).toBe(200);
    expectHeygenShape('post_v3_video_agents_session_id.yaml', sent.json());
    expect(sent.json().data).toMatchObject({ session_id: id, title: waiting.title });
    expect(await balanceOf(t.ctx, t.ada)).toMatchObject({ held_micro_usd: FOLLOW_UP_MICRO_USD });
    expect((await session(id)).status).toBe('thinking');
    await drainWorker(t.ctx);

    const list = await videos(id);
    expect(list.map((v: { id: string; duration: number }) => [v.id, v.duration])).toEqual([
      [sent.json().data.run_id, 20],
      [waiting.video_id, 10],
    ]);
    const again = await session(id);
    expect(again).toMatchObject({ status: 'waiting_for_input', video_id: list[0].id });
    expect(again.messages).toHaveLength(4);
    await expectCharged(CHAT_FIRST_MICRO_USD + FOLLOW_UP_MICRO_USD);

    const stopped = await api.stop(id);
    expect(stopped.statusCode, stopped.body).toBe(200);
    expectHeygenShape('post_v3_video_agents_session_id_stop.yaml', stopped.json());
    expect((await session(id)).status).toBe('completed');
    expect((await jobRow(t.ctx, id)).charged_amount_micro_usd).toBe(
      CHAT_FIRST_MICRO_USD + FOLLOW_UP_MICRO_USD,
    );
    await expectCharged(CHAT_FIRST_MICRO_USD + FOLLOW_UP_MICRO_USD);
  });

  it('a failed video costs nothing: a generate session fails, a chat session says why and waits', async () => {
    const generate = await create({ prompt: 'Doomed [simulate:fail]' });
    const chat = await create({ prompt: 'Doomed too [simulate:fail]', mode: 'chat' });
    await drainWorker(t.ctx);
    expect(await session(generate)).toMatchObject({ status: 'failed' });
    const [failed] = await videos(generate);
    expect(failed).toMatchObject({ status: 'failed', failure_code: 'render_failed' });
    const waiting = await session(chat);
    expect(waiting.status).toBe('waiting_for_input');
    expect(waiting.messages[0]).toMatchObject({ role: 'model', type: 'error' });
    expect(waiting.messages[0].content).toMatch(/simulate:fail.*not charged/);
    await expectCharged(0n);
  });

  it('the ledger history names video_agent for each hold and charge', async () => {
    await create(GENERATE_MARKED);
    await drainWorker(t.ctx);
    const history = await t.app.inject({
      method: 'GET',
      url: '/billing/v1/ledger',
      headers: t.ada.headers,
    });
    const entries = history.json().data as { kind: string; product: string | null }[];
    const products = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.product);
    expect(products('hold')).toEqual(['video_agent']);
    expect(products('settlement')).toEqual(['video_agent']);
    await expectLedgerBalanced(t.ctx);
  });

  it('a quote of a session body answers its first video hold and rule and writes nothing', async () => {
    const quote = await t.app.inject({
      method: 'POST',
      url: '/billing/v1/quote?product=video-agents',
      headers: t.ada.headers,
      payload: GENERATE_UNSIZED,
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json().data).toMatchObject({
      product: 'video_agent',
      sku: 'video_agent.prompt_to_video',
      rate_usd: '0.0333',
      estimate_rule: 'agent_video_limit_300_s',
      estimated_duration_ms: 300_000,
      hold_amount_micro_usd: Number(UNSIZED_HOLD_MICRO_USD),
    });
    expect((await api.list()).json().data).toEqual([]);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(0n);
  });

  it('a replayed create with the same Idempotency-Key admits one session', async () => {
    const headers = { ...t.ada.headers, 'idempotency-key': 'va-1' };
    const post = () =>
      t.app.inject({ method: 'POST', url: '/v3/video-agents', headers, payload: GENERATE_MARKED });
    const first = await post();
    expect((await post()).json()).toEqual(first.json());
    expect((await api.list()).json().data).toHaveLength(1);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(GENERATE_MARKED_MICRO_USD);
    await expectLedgerBalanced(t.ctx);
  });

  it('a replayed message with the same Idempotency-Key makes one video and holds once', async () => {
    const id = await create(CHAT_MARKED);
    await drainWorker(t.ctx);
    const headers = { ...t.ada.headers, 'idempotency-key': 'va-msg-1' };
    const url = `/v3/video-agents/${id}`;
    const post = () => t.app.inject({ method: 'POST', url, headers, payload: FOLLOW_UP });
    const first = await post();
    expect(first.statusCode, first.body).toBe(200);
    expect((await post()).json()).toEqual(first.json());
    expect(await videos(id)).toHaveLength(2);
    expect((await balanceOf(t.ctx, t.ada)).held_micro_usd).toBe(FOLLOW_UP_MICRO_USD);
    await drainWorker(t.ctx);
    await expectCharged(CHAT_FIRST_MICRO_USD + FOLLOW_UP_MICRO_USD);
  });

  it('a session short of funds is 402 and writes nothing', async () => {
    const poor = await createCustomer(t.ctx, { username: 'poor', paid_micro_usd: 1_000_000n });
    const res = await videoAgentApi(t.app, poor).create(GENERATE_UNSIZED);
    expect(res.statusCode).toBe(402);
    expect(res.json().error.code).toBe('insufficient_credit');
    expect((await videoAgentApi(t.app, poor).list()).json().data).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });
});
