import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { createSiblingNode, dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { drainWorker, PHOTO_720P, submit } from '../../test/videos.ts';
import { useWebhookReceiver } from '../../test/webhook-receiver.ts';
import { withTransaction } from '../context.ts';
import { recordEvent } from '../events/events.ts';
import { runWebhookTick } from './deliver.ts';

const ALLOW_LOOPBACK = { TOLLGATE_ALLOW_PRIVATE_URLS: '1' };

describe.each(dialects)('webhook delivery on %s', (dialect) => {
  const t = useServer(dialect, {
    env: ALLOW_LOOPBACK,
    customer: { username: 'ada', paid_micro_usd: 20_000_000n },
    limits: { webhook_attempts_max: 30, webhook_endpoint_failures_max: 1_000 },
  });
  const receiver = useWebhookReceiver();

  async function createEndpoint(body: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers: t.ada.headers,
      payload: { url: receiver.url(), ...body },
    });
    expect(res.statusCode).toBe(200);
    return res.json().data as { endpoint_id: string; secret: string };
  }

  /** Webhook ticks, each after the longest backoff, until one does nothing. */
  async function drainWebhooks(ticks_max = 60) {
    for (let tick = 0; tick < ticks_max; tick++) {
      t.ctx.clock.advance(BigInt(t.ctx.config.limits.webhook_retry_delay_ms_max));
      if ((await runWebhookTick(t.ctx)) === 0) return;
    }
    throw new Error('webhook deliveries still moving');
  }

  it('a receiver down for a while, then up, gets every job outcome once, signed', async () => {
    await createEndpoint();
    receiver.down();
    const ok = await submit(t.app, t.ada, { ...PHOTO_720P, callback_id: 'cb-ok' });
    const failing = { ...PHOTO_720P, script: `${PHOTO_720P.script} [simulate:fail]` };
    const bad = await submit(t.app, t.ada, failing);
    expect([ok.statusCode, bad.statusCode]).toEqual([200, 200]);
    await drainWorker(t.ctx);
    for (let tick = 0; tick < 5; tick++) {
      t.ctx.clock.advance(BigInt(t.ctx.config.limits.webhook_retry_delay_ms_max));
      await runWebhookTick(t.ctx);
    }
    expect(receiver.received.length).toBeGreaterThanOrEqual(5);
    expect(receiver.accepted).toEqual([]);
    receiver.up();
    await drainWebhooks();
    const accepted = receiver.accepted.map((hook) => [hook.json.event_type, hook.json.event_data]);
    expect(accepted).toHaveLength(2);
    expect(accepted).toEqual(
      expect.arrayContaining([
        [
          'avatar_video.success',
          expect.objectContaining({ video_id: ok.json().data.video_id, callback_id: 'cb-ok' }),
        ],
        ['avatar_video.fail', expect.objectContaining({ video_id: bad.json().data.video_id })],
      ]),
    );
    const ids = receiver.accepted.map((hook) => hook.headers['webhook-id']);
    expect(new Set(ids).size).toBe(2);
    await expectLedgerBalanced(t.ctx);
  });

  it('events of one job reach the endpoint in the order they were recorded, each once', async () => {
    await createEndpoint();
    receiver.down(500);
    const recorded: Record<string, string[]> = { job_a: [], job_b: [] };
    for (let index = 0; index < 6; index++) {
      const entity_id = index % 2 === 0 ? 'job_a' : 'job_b';
      const event = await withTransaction(t.ctx, (tx) =>
        recordEvent(tx, {
          type: 'avatar_video.success',
          account_id: t.ada.account_id,
          entity_id,
          payload: { video_id: entity_id, step: index },
        }),
      );
      recorded[entity_id]!.push(event.id);
      t.ctx.clock.advance(1n);
      await runWebhookTick(t.ctx);
    }
    // While down, only the head of each job's queue is tried.
    const tried = new Set(receiver.received.map((hook) => hook.headers['webhook-id']));
    expect(tried).toEqual(new Set([recorded.job_a![0], recorded.job_b![0]]));
    receiver.up();
    await drainWebhooks();
    for (const entity_id of ['job_a', 'job_b']) {
      const got = receiver.accepted
        .filter((hook) => hook.json.event_data.video_id === entity_id)
        .map((hook) => hook.headers['webhook-id']);
      expect(got).toEqual(recorded[entity_id]);
    }
  });

  it('a job’s callback_url gets its outcome, signed with the account’s callback secret', async () => {
    const res = await submit(t.app, t.ada, {
      ...PHOTO_720P,
      callback_url: receiver.url('/callback'),
      callback_id: 'order-7',
    });
    await drainWorker(t.ctx);
    await drainWebhooks();
    expect(receiver.accepted.map((hook) => [hook.path, hook.json])).toEqual([
      [
        '/callback',
        {
          event_type: 'avatar_video.success',
          event_data: expect.objectContaining({
            video_id: res.json().data.video_id,
            callback_id: 'order-7',
          }),
        },
      ],
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('an endpoint failing past the ceiling is disabled, with an event saying so', async () => {
    const failing = await createEndpoint({ events: ['avatar_video.success'] });
    const watcher = await createEndpoint({
      url: receiver.url('/watcher'),
      events: ['webhook_endpoint.disabled'],
    });
    const limits = { ...t.ctx.config.limits, webhook_endpoint_failures_max: 3 };
    const ctx = { ...t.ctx, config: { ...t.ctx.config, limits } };
    receiver.down();
    await submit(t.app, t.ada, PHOTO_720P);
    await drainWorker(t.ctx);
    for (let tick = 0; tick < 4; tick++) {
      ctx.clock.advance(BigInt(limits.webhook_retry_delay_ms_max));
      await runWebhookTick(ctx);
    }
    const endpoints = await t.app.inject({
      method: 'GET',
      url: '/v3/webhooks/endpoints',
      headers: t.ada.headers,
    });
    const byId = new Map(
      endpoints.json().data.map((row: { endpoint_id: string }) => [row.endpoint_id, row]),
    );
    expect(byId.get(failing.endpoint_id)).toMatchObject({
      status: 'disabled',
      disabled_reason: 'failing',
    });
    expect(byId.get(watcher.endpoint_id)).toMatchObject({ status: 'enabled' });
    receiver.up();
    await drainWebhooks();
    expect(receiver.accepted.map((hook) => [hook.path, hook.json.event_type])).toEqual([
      ['/watcher', 'webhook_endpoint.disabled'],
    ]);
    await expectLedgerBalanced(t.ctx);
  });

  it('a customer redelivers an event; the log shows every attempt', async () => {
    await createEndpoint();
    await submit(t.app, t.ada, PHOTO_720P);
    await drainWorker(t.ctx);
    await drainWebhooks();
    const event_id = String(receiver.accepted[0]?.headers['webhook-id']);
    const redeliver = await t.app.inject({
      method: 'POST',
      url: `/billing/v1/webhooks/events/${event_id}/redeliver`,
      headers: t.ada.headers,
    });
    expect(redeliver.json()).toEqual({ data: { event_id, deliveries: 1 } });
    await drainWebhooks();
    expect(receiver.accepted.map((hook) => hook.headers['webhook-id'])).toEqual([
      event_id,
      event_id,
    ]);
    const log = await t.app.inject({
      method: 'GET',
      url: `/billing/v1/webhooks/events/${event_id}/deliveries`,
      headers: t.ada.headers,
    });
    expect(log.json().data).toHaveLength(2);
    expect(log.json().data[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      attempt_log: [{ attempt: 1, response_status: 200, error: null }],
    });
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/billing/v1/webhooks/events/${event_id}/deliveries`,
      headers: bob.headers,
    });
    expect(foreign.statusCode).toBe(404);
    await expectLedgerBalanced(t.ctx);
  });

  it('two workers racing over the same deliveries never send one attempt twice', async () => {
    await createEndpoint();
    await withTransaction(t.ctx, async (tx) => {
      for (let index = 0; index < 12; index++) {
        await recordEvent(tx, {
          type: 'balance.low',
          account_id: t.ada.account_id,
          entity_id: `entity_${index}`,
          payload: { index },
        });
      }
    });
    const other = t.ctx.database_url === undefined ? t.ctx : createSiblingNode(t.ctx, 'b');
    try {
      for (let round = 0; round < 10; round++) {
        await Promise.all([runWebhookTick(t.ctx), runWebhookTick(other)]);
      }
    } finally {
      if (other !== t.ctx) await other.close();
    }
    const ids = receiver.received.map((hook) => hook.headers['webhook-id']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    const attempts = await t.ctx.db.selectFrom('webhook_attempts').select('attempt').execute();
    expect(attempts.map((row) => row.attempt)).toEqual(Array(12).fill(1n));
  });
});
