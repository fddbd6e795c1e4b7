import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { useWebhookReceiver } from '../../test/webhook-receiver.ts';
import { withTransaction } from '../context.ts';
import { recordEvent } from '../events/events.ts';
import { runWebhookTick } from '../webhooks/deliver.ts';

describe.each(dialects)('webhook outcome metrics on %s', (dialect) => {
  const t = useServer(dialect, {
    env: { TOLLGATE_ALLOW_PRIVATE_URLS: '1' },
    operator: true,
    customer: { username: 'ada' },
    limits: { webhook_attempts_max: 2, webhook_endpoint_failures_max: 2 },
  });
  const receiver = useWebhookReceiver();

  async function metric(line: string): Promise<number> {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.operator });
    const found = res.body.split('\n').find((row) => row.startsWith(`${line} `));
    return found === undefined ? Number.NaN : Number(found.slice(line.length + 1));
  }
  async function endpointAndEvent(entity_id: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers: t.ada.headers,
      payload: { url: receiver.url() },
    });
    expect(res.statusCode).toBe(200);
    await withTransaction(t.ctx, (tx) =>
      recordEvent(tx, {
        type: 'avatar_video.success',
        account_id: t.ada.account_id,
        entity_id,
        payload: { video_id: entity_id },
      }),
    );
  }
  async function tick() {
    t.ctx.clock.advance(BigInt(t.ctx.config.limits.webhook_retry_delay_ms_max));
    await runWebhookTick(t.ctx);
  }

  it('counts attempts by outcome, deliveries given up and endpoints disabled, once each', async () => {
    receiver.down();
    await endpointAndEvent('job_a');
    await tick();
    expect(await metric('tollgate_webhook_attempts_total{outcome="http_error"}')).toBe(1);
    expect(await metric('tollgate_webhook_deliveries_failed_total')).toBe(0);
    await tick(); // the second and last attempt: given up, and the endpoint's second failure
    await tick(); // nothing left to try
    expect(await metric('tollgate_webhook_attempts_total{outcome="http_error"}')).toBe(2);
    expect(await metric('tollgate_webhook_deliveries_failed_total')).toBe(1);
    expect(await metric('tollgate_webhook_endpoints_disabled_total')).toBe(1);

    receiver.up();
    await endpointAndEvent('job_b');
    await tick();
    expect(await metric('tollgate_webhook_attempts_total{outcome="delivered"}')).toBe(1);
    expect(await metric('tollgate_webhook_attempts_total{outcome="no_response"}')).toBe(0);
    expect(await metric('tollgate_webhook_endpoints_disabled_total')).toBe(1);
    expect(await metric('tollgate_top_ups_total{outcome="completed"}')).toBe(0);
    expect(await metric('tollgate_auto_reloads_total{outcome="failed"}')).toBe(0);
  });
});
