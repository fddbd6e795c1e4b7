/**
 * `GET /dashboard/v1/events`: the account's balance as Server-Sent Events, for a signed-in
 * dashboard session only (registered in the customer scope; an API key gets 403: a stream that
 * never ends is the browser's, not an API client's). The first `balance` event
 * carries the balance as it stands, each later one a change the ledger recorded (a hold, a
 * settlement, a grant, …; `dashboard/balance-feed.ts`); a comment line every
 * `SSE_HEARTBEAT_MS` keeps proxies from closing a quiet stream. Streams are ended when the server
 * closes, so a shutdown never waits on an open browser tab.
 */

import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createBalanceFeed } from '../../dashboard/balance-feed.ts';
import { stringifyJson } from '../../shared/json.ts';
import { accountIdOf } from '../auth-hook.ts';
import { httpError } from '../errors.ts';
import { renderBalance } from '../schemas/wallet.ts';
import type { RouteOptions } from '../server.ts';

/** How often the ledger is read for changes while a stream is open. */
export const BALANCE_FEED_TICK_MS = 250;
const SSE_HEARTBEAT_MS = 15_000;

export const dashboardEventRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  const feed = createBalanceFeed(ctx, { tick_ms: BALANCE_FEED_TICK_MS });
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
    open.clear();
    feed.close();
  });

  const schema = {
    security: [{ session_cookie: [] }],
    description: 'Server-Sent Events (`text/event-stream`): `event: balance` with the wallet.',
    response: { 200: Type.String({ description: '`event: balance` lines, then changes.' }) },
  };
  app.get('/dashboard/v1/events', { schema }, async (request, reply) => {
    if (request.principal?.kind !== 'session') {
      throw httpError('forbidden', 'The live balance is for a signed-in dashboard session.');
    }
    const account_id = accountIdOf(request);
    const raw = reply.raw;
    const send = (event: string, data: unknown) => {
      raw.write(`event: ${event}\ndata: ${stringifyJson(data)}\n\n`);
    };
    const unsubscribe = feed.subscribe(account_id, (balance) =>
      send('balance', renderBalance(balance)),
    );
    if (unsubscribe === null) {
      throw httpError('rate_limit_exceeded', 'Too many live dashboards on this node; retry soon.');
    }
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-request-id': request.id,
    });
    raw.write('retry: 2000\n\n');
    open.add(raw);
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    request.raw.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(raw);
    });
  });
};
