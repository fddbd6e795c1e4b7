/**
 * Logs of a full run at debug level: every line written during a request carries its request id,
 * and no secret used in the run (API keys, the operator token, a rejected key, secrets sent in
 * bodies) appears in any log line or any response body other than the one that returns a new key.
 */
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestContext, dialects, expectLedgerBalanced, type TestContext } from '../harness.ts';
import { createOperatorToken, operatorHeaders } from '../operator.ts';
import { drainWorker, PHOTO_720P } from '../videos.ts';

const REJECTED_KEY = 'tg_rejectedKeyThatMustNeverBeLogged01';
const WRONG_OPERATOR_TOKEN = 'tgop_wrongOperatorTokenThatMustNotLeak';
const BODY_SECRET = 'whsec_bodySecretThatMustNotLeak0123';

describe.each(dialects)('logs on %s', (dialect) => {
  let ctx: TestContext;
  let app: ReturnType<typeof buildServer>;
  let logs: string;

  beforeEach(async () => {
    logs = '';
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        logs += chunk.toString();
        callback();
      },
    });
    ctx = await createTestContext(dialect, { log: createLogger('debug', sink) });
    app = buildServer(ctx);
  });
  afterEach(async () => {
    await app.close();
    await ctx.close();
  });

  it('carry the request id on every line and never a key, token or body secret', async () => {
    const operatorToken = await createOperatorToken(ctx);
    const operator = operatorHeaders(operatorToken);
    const responses: string[] = [];
    const call = async (options: InjectOptions) => {
      const res = await app.inject(options);
      responses.push(res.body);
      return res;
    };
    const created = await call({
      method: 'POST',
      url: '/admin/v1/accounts',
      headers: { ...operator, 'idempotency-key': 'acct-ada' },
      payload: { username: 'ada' },
    });
    const account_id = created.json().data.id;
    const keyRes = await app.inject({
      method: 'POST',
      url: `/admin/v1/accounts/${account_id}/api-keys`,
      headers: operator,
      payload: { name: 'prod' },
    });
    const apiKey: string = keyRes.json().data.key;
    expect(apiKey).toMatch(/^tg_/);
    await call({
      method: 'POST',
      url: `/admin/v1/accounts/${account_id}/grants`,
      headers: operator,
      payload: { amount_usd: '10.00', kind: 'paid' },
    });
    const customer = { 'x-api-key': apiKey };
    const submitted = await call({
      method: 'POST',
      url: '/v3/videos',
      headers: { ...customer, 'x-request-id': 'client-trace-42' },
      payload: PHOTO_720P,
    });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.headers['x-request-id']).toBe('client-trace-42');
    const insane = await call({
      method: 'GET',
      url: '/v3/users/me',
      headers: { ...customer, 'x-request-id': 'bad id with spaces' },
    });
    expect(insane.headers['x-request-id']).toMatch(/^req_/);
    // Errors: a bad key, a wrong operator token, a body carrying secrets, a bad body.
    const rejected = await call({
      method: 'GET',
      url: '/v3/users/me',
      headers: { 'x-api-key': REJECTED_KEY },
    });
    expect(rejected.statusCode).toBe(401);
    const wrong = await call({
      method: 'GET',
      url: '/admin/v1/accounts',
      headers: operatorHeaders(WRONG_OPERATOR_TOKEN),
    });
    expect(wrong.statusCode).toBe(401);
    await call({
      method: 'POST',
      url: '/v3/videos',
      headers: customer,
      payload: {
        ...PHOTO_720P,
        api_key: apiKey,
        webhook_secret: BODY_SECRET,
        card_number: BODY_SECRET,
      },
    });

    const bad = await call({
      method: 'POST',
      url: '/v3/videos',
      headers: customer,
      payload: {
        ...PHOTO_720P,
        script: 42,
        callback_url: `https://x.example/?token=${BODY_SECRET}`,
      },
    });
    expect(bad.statusCode).toBe(400);
    await call({
      method: 'GET',
      url: `/v3/videos/${submitted.json().data.video_id}`,
      headers: customer,
    });
    ctx.clock.advance(60_000n);
    await drainWorker(ctx);
    await call({ method: 'GET', url: '/v3/users/me', headers: customer });

    const lines = logs
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(20);
    expect(ctx.log.isLevelEnabled('debug')).toBe(true);
    expect(lines.filter((line) => typeof line.reqId !== 'string')).toEqual([]);
    expect(lines.some((line) => line.reqId === 'client-trace-42')).toBe(true);
    for (const secret of [apiKey, operatorToken, REJECTED_KEY, WRONG_OPERATOR_TOKEN, BODY_SECRET]) {
      expect(logs).not.toContain(secret);
      expect(responses.filter((body) => body.includes(secret))).toEqual([]);
    }
    await expectLedgerBalanced(ctx);
  });
});
