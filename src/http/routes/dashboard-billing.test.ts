/**
 * What the dashboard's billing pages read and write through a customer session: webhook
 * endpoints (CSRF-checked, never job admission) and an endpoint's delivery log, newest first,
 * for the customer and the operator; each API key with the spending limit the operator set; the
 * account's web plan and credits.
 */
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../test/customers.ts';
import { dialects } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';
import { useWebhookReceiver } from '../../../test/webhook-receiver.ts';
import { withTransaction } from '../../context.ts';
import { createSession, csrfTokenOf } from '../../dashboard/sessions.ts';
import { recordEvent } from '../../events/events.ts';
import { runWebhookTick } from '../../webhooks/deliver.ts';

describe.each(dialects)('dashboard billing pages on %s', (dialect) => {
  const t = useServer(dialect, {
    env: { TOLLGATE_ALLOW_PRIVATE_URLS: '1' },
    operator: true,
    customer: { username: 'ada' },
  });
  const receiver = useWebhookReceiver();

  async function sessionHeaders(account_id = t.ada.account_id) {
    const { secret } = await createSession(t.ctx, {
      kind: 'customer',
      account_id,
      user_id: 'user_test',
    });
    return { cookie: `tollgate_session=${secret}`, 'x-csrf-token': csrfTokenOf(secret) };
  }

  async function recordLowBalance(n: number): Promise<string> {
    const event = await withTransaction(t.ctx, (tx) =>
      recordEvent(tx, { type: 'balance.low', account_id: t.ada.account_id, payload: { n } }),
    );
    return event.id;
  }

  it('a session manages webhook endpoints only with its CSRF token, and still submits no job', async () => {
    const headers = await sessionHeaders();
    const forged = await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers: { cookie: headers.cookie },
      payload: { url: receiver.url() },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('csrf_token_invalid');

    const created = await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers,
      payload: { url: receiver.url(), events: ['balance.low'] },
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().data.secret).toMatch(/^whsec_/);
    const listed = await t.app.inject({ method: 'GET', url: '/v3/webhooks/endpoints', headers });
    expect(listed.json().data).toHaveLength(1);
    expect(listed.json().data[0].secret).toBeNull();

    const job = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers,
      payload: { type: 'avatar', avatar_id: 'look_twin_sofia', script: 'hi' },
    });
    expect(job.statusCode).toBe(401);
  });

  it("an endpoint's delivery log lists its deliveries newest first with their events, to its account and the operator only", async () => {
    const headers = await sessionHeaders();
    const created = await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers,
      payload: { url: receiver.url() },
    });
    const endpoint_id = created.json().data.endpoint_id as string;
    const first = await recordLowBalance(1);
    await runWebhookTick(t.ctx);
    t.ctx.clock.advance(1_000n);
    const second = await recordLowBalance(2);
    await runWebhookTick(t.ctx);

    const url = `/billing/v1/webhooks/endpoints/${endpoint_id}/deliveries`;
    const log = await t.app.inject({ method: 'GET', url, headers });
    expect(log.statusCode, log.body).toBe(200);
    const rows = log.json().data as { event_id: string; event_type: string; status: string }[];
    expect(rows.map((row) => row.event_id)).toEqual([second, first]);
    expect(rows.map((row) => row.event_type)).toEqual(['balance.low', 'balance.low']);
    expect(rows.map((row) => row.status)).toEqual(['delivered', 'delivered']);
    expect(log.json().data[0].attempt_log[0].response_status).toBe(200);

    const one = await t.app.inject({ method: 'GET', url: `${url}?limit=1`, headers });
    expect(one.json().data.map((row: { event_id: string }) => row.event_id)).toEqual([second]);
    const tooMany = await t.app.inject({ method: 'GET', url: `${url}?limit=101`, headers });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.param).toBe('limit');

    const operator = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/webhooks/endpoints/${endpoint_id}/deliveries`,
      headers: t.operator,
    });
    expect(operator.json().data).toHaveLength(2);

    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const other = await t.app.inject({ method: 'GET', url, headers: bob.headers });
    expect(other.statusCode).toBe(404);
    expect(other.json().error).toMatchObject({
      code: 'not_found',
      param: 'endpoint_id',
    });
  });

  it("a session's API keys show the spending limit the operator set, and its removal", async () => {
    const headers = await sessionHeaders();
    const path = `/admin/v1/api-keys/${t.ada.api_key_id}/spending-limit`;
    const set = await t.app.inject({
      method: 'PUT',
      url: path,
      headers: t.operator,
      payload: { window: 'day', amount_usd: '12.50' },
    });
    expect(set.statusCode, set.body).toBe(200);
    const keys = async () =>
      (await t.app.inject({ method: 'GET', url: '/dashboard/v1/api-keys', headers })).json()
        .data as { id: string; spending_limit: Record<string, unknown> | null }[];
    const limited = (await keys()).find((key) => key.id === t.ada.api_key_id);
    expect(limited?.spending_limit).toMatchObject({
      window: 'day',
      amount_micro_usd: 12_500_000,
      spent_micro_usd: 0,
    });
    await t.app.inject({ method: 'DELETE', url: path, headers: t.operator });
    expect((await keys()).find((key) => key.id === t.ada.api_key_id)?.spending_limit).toBeNull();
  });

  it("a session reads the account's web plan: none, then the plan the operator subscribed it to", async () => {
    const headers = await sessionHeaders();
    const none = await t.app.inject({ method: 'GET', url: '/dashboard/v1/web-plan', headers });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json().data).toMatchObject({ plan: null, cycle_number: null, resets_at: null });

    const subscribed = await t.app.inject({
      method: 'PUT',
      url: `/admin/v1/accounts/${t.ada.account_id}/subscription`,
      headers: t.operator,
      payload: { plan: 'creator' },
    });
    expect(subscribed.statusCode, subscribed.body).toBe(200);
    const plan = await t.app.inject({ method: 'GET', url: '/dashboard/v1/web-plan', headers });
    expect(plan.json().data).toEqual(subscribed.json().data);
    expect(plan.json().data.plan.id).toBe('creator');
    expect(plan.json().data.premium_free_credit_milli).toBeGreaterThan(0);
  });
});
