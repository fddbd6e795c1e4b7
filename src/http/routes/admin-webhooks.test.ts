import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli.ts';
import { dialects } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { useWebhookReceiver } from '../../../test/webhook-receiver.ts';
import { withTransaction } from '../../context.ts';
import { recordEvent } from '../../events/events.ts';
import { runWebhookTick } from '../../webhooks/deliver.ts';

describe.each(dialects)('operator webhook tools on %s', (dialect) => {
  const t = useServer(dialect, {
    env: { TOLLGATE_ALLOW_PRIVATE_URLS: '1' },
    operator: true,
    customer: { username: 'ada' },
  });
  const receiver = useWebhookReceiver();

  async function deliveredEvent(): Promise<string> {
    await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers: t.ada.headers,
      payload: { url: receiver.url() },
    });
    const event = await withTransaction(t.ctx, (tx) =>
      recordEvent(tx, { type: 'balance.low', account_id: t.ada.account_id, payload: { n: 1 } }),
    );
    await runWebhookTick(t.ctx);
    return event.id;
  }

  it('the operator redelivers any account’s event and reads its delivery log', async () => {
    const event_id = await deliveredEvent();
    const res = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/webhooks/events/${event_id}/redeliver`,
      headers: t.operator,
    });
    expect(res.json()).toEqual({ data: { event_id, deliveries: 1 } });
    await runWebhookTick(t.ctx);
    expect(receiver.accepted.map((hook) => hook.headers['webhook-id'])).toEqual([
      event_id,
      event_id,
    ]);
    const log = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/webhooks/events/${event_id}/deliveries`,
      headers: t.operator,
    });
    expect(log.json().data.map((row: { status: string }) => row.status)).toEqual([
      'delivered',
      'delivered',
    ]);
    const customer = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/webhooks/events/${event_id}/redeliver`,
      headers: t.ada.headers,
    });
    expect(customer.statusCode).toBe(401);
  });

  it('tollgate webhooks redeliver queues a delivery; an unknown event exits 2', async () => {
    const event_id = await deliveredEvent();
    const run = await runCli(t.ctx, 'webhooks', 'redeliver', event_id, '--json');
    expect(JSON.parse(run.out)).toEqual({ event_id, deliveries: 1 });
    const listed = await runCli(t.ctx, 'webhooks', 'deliveries', event_id);
    expect(listed.out).toMatch(/delivered to ep_/);
    const missing = await runCli(t.ctx, 'webhooks', 'redeliver', 'evt_missing');
    expect(missing.exit_code).toBe(2);
    expect(missing.err).toMatch(/webhook_event_not_found/);
  });
});
