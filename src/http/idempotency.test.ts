import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced, type TestContext } from '../../test/harness.ts';
import { createOperatorToken, operatorHeaders } from '../../test/operator.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { stringifyJson } from '../shared/json.ts';
import { httpError, registerErrorHandling } from './errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { buildServer } from './server.ts';

/** A scope with the real hooks and a route whose outcome each test scripts. */
function scriptedApp(ctx: TestContext, outcomes: Array<'ok' | 'fail' | 'busy'>) {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandling(app);
  app.decorateRequest('principal', null);
  app.setReplySerializer((payload) => stringifyJson(payload));
  let runs = 0;
  app.addHook('onRequest', async (request) => {
    const who = request.headers['x-account'];
    request.principal =
      typeof who === 'string'
        ? { kind: 'api_key', account_id: who, api_key_id: `key_${who}` }
        : { kind: 'operator' };
  });
  registerIdempotency(app, ctx);
  app.post('/things', async () => {
    const outcome = outcomes[runs++] ?? 'ok';
    if (outcome === 'fail') throw new Error('boom');
    if (outcome === 'busy') throw httpError('rate_limit_exceeded', 'busy');
    return { data: { run: runs } };
  });
  return { app, runs: () => runs };
}

describe.each(dialects)('Idempotency-Key over HTTP on %s', (dialect) => {
  const t = useTestContext(dialect);

  const post = (app: ReturnType<typeof Fastify>, key: string, payload: object) =>
    app.inject({ method: 'POST', url: '/things', headers: { 'idempotency-key': key }, payload });

  it('a 5xx is not stored: the key is released and a retry runs again', async () => {
    const { app, runs } = scriptedApp(t.ctx, ['fail', 'ok']);
    expect((await post(app, 'k1', { a: 1 })).statusCode).toBe(500);
    const retry = await post(app, 'k1', { a: 1 });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(runs()).toBe(2);
  });

  it('a 429 is not stored either: the request did not run', async () => {
    const { app, runs } = scriptedApp(t.ctx, ['busy', 'ok']);
    expect((await post(app, 'k1', { a: 1 })).statusCode).toBe(429);
    expect((await post(app, 'k1', { a: 1 })).json()).toEqual({ data: { run: 2 } });
    expect(runs()).toBe(2);
  });

  it('a success is stored and replayed without running again', async () => {
    const { app, runs } = scriptedApp(t.ctx, ['ok']);
    const first = await post(app, 'k1', { a: 1 });
    const again = await post(app, 'k1', { a: 1 });
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(runs()).toBe(1);
  });

  it('requests without a key always run, and GET never claims a key', async () => {
    const { app, runs } = scriptedApp(t.ctx, ['ok', 'ok']);
    await app.inject({ method: 'POST', url: '/things', payload: {} });
    await app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(runs()).toBe(2);
    expect(await t.ctx.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
  });

  it('a malformed key is 400 invalid_parameter naming Idempotency-Key', async () => {
    const { app, runs } = scriptedApp(t.ctx, []);
    for (const key of ['has space', 'x'.repeat(256), 'é']) {
      const res = await post(app, key, {});
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'invalid_parameter',
        param: 'Idempotency-Key',
      });
    }
    expect(runs()).toBe(0);
  });

  it('a key is scoped to the principal: two customers may use the same key', async () => {
    const { app, runs } = scriptedApp(t.ctx, ['ok', 'ok']);
    const asAccount = (account: string) =>
      app.inject({
        method: 'POST',
        url: '/things',
        headers: { 'idempotency-key': 'same', 'x-account': account },
        payload: { a: 1 },
      });
    expect((await asAccount('acct_a')).json()).toEqual({ data: { run: 1 } });
    expect((await asAccount('acct_b')).json()).toEqual({ data: { run: 2 } });
    expect((await asAccount('acct_a')).headers['idempotent-replayed']).toBe('true');
    expect(runs()).toBe(2);
  });

  it('a key is scoped to the path: the same key on another account’s grants runs', async () => {
    const token = await createOperatorToken(t.ctx);
    const ada = await createCustomer(t.ctx, { username: 'ada' });
    const bob = await createCustomer(t.ctx, { username: 'bob' });
    const app = buildServer(t.ctx);
    const grant = (account_id: string) =>
      app.inject({
        method: 'POST',
        url: `/admin/v1/accounts/${account_id}/grants`,
        headers: { ...operatorHeaders(token), 'idempotency-key': 'same' },
        payload: { amount_usd: '1.00', kind: 'paid', memo: null },
      });
    expect((await grant(ada.account_id)).headers['idempotent-replayed']).toBeUndefined();
    expect((await grant(bob.account_id)).headers['idempotent-replayed']).toBeUndefined();
    expect((await grant(ada.account_id)).headers['idempotent-replayed']).toBe('true');
    const scopes = await t.ctx.db.selectFrom('idempotency_keys').select('scope').execute();
    expect(scopes.map((row) => row.scope).sort()).toEqual(
      [ada, bob]
        .map(
          (c) =>
            `operator POST /admin/v1/accounts/:account_id/grants {"account_id":"${c.account_id}"}`,
        )
        .sort(),
    );
    await expectLedgerBalanced(t.ctx);
  });
});
