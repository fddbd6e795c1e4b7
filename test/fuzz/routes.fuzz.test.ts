/**
 * The schema-driven fuzz test over every route (issue 11). The routes are read from the built
 * server (an `onRoute` hook), so a route added later is fuzzed without touching this file. For
 * each route, fast-check derives requests from its body, query and path schemas and mixes in
 * hostile values; each is sent with the right credentials (customer key for /v3 and /billing,
 * operator token for /admin/v1), with the wrong ones or with none. Guarantees checked on every
 * response: never a 5xx; every error is HeyGen's envelope with the `request_id` of the
 * `x-request-id` header; a 4xx writes nothing (row counts of every table and the ledger sums are
 * the same before and after). `FUZZ_RUNS` (per route) and `FUZZ_SEED` reproduce or widen a run.
 */

import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { type Customer, createCustomer } from '../customers.ts';
import { createTestContext, dialects, expectLedgerBalanced, type TestContext } from '../harness.ts';
import { createOperatorToken, operatorHeaders } from '../operator.ts';
import { PHOTO_720P } from '../videos.ts';
import {
  HOSTILE_BODY_TEXTS,
  HOSTILE_URL_TEXTS,
  hostileObjectFrom,
  objectFrom,
  queryFrom,
} from './arbitraries.ts';
import { snapshotDb } from './db-snapshot.ts';

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 16);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() : Number(process.env.FUZZ_SEED);

type FuzzedRoute = {
  method: string;
  url: string;
  schema: { body?: object; querystring?: object; params?: object };
};

type Auth = 'right' | 'wrong' | 'none';

function collectRoutes(app: FastifyInstance): FuzzedRoute[] {
  const routes: FuzzedRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        schema: (route.schema ?? {}) as FuzzedRoute['schema'],
      });
    }
  });
  return routes;
}

/** Path parameter values: ids that exist, ids that do not, and hostile texts. */
function paramArbitrary(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...known),
    fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }).map(encodeURIComponent),
    fc.constantFrom(...HOSTILE_URL_TEXTS),
  );
}

type Payload = { content_type: string | null; text: string | null };

function bodyArbitrary(schema: object | undefined): fc.Arbitrary<Payload> {
  const json = (value: unknown): Payload => ({
    content_type: 'application/json',
    text: JSON.stringify(value),
  });
  const objects =
    schema === undefined
      ? [fc.constant({}), fc.constant({ x: 'a\u0000' })]
      : [objectFrom(schema), hostileObjectFrom(schema), hostileObjectFrom(schema)];
  return fc.oneof(
    ...objects.map((arbitrary) => arbitrary.map(json)),
    fc
      .constantFrom(...HOSTILE_BODY_TEXTS)
      .map((text) => ({ content_type: 'application/json', text })),
    fc
      .constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', null)
      .map((content_type) => ({ content_type, text: '{"type":"avatar"}' })),
    fc.constant({ content_type: null, text: null }),
  );
}

/** Paths (`body.script`) of string fields without `maxLength` and numbers without both bounds. */
function unboundedFields(schema: unknown, path: string): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const types = [node.type].flat();
  const found: string[] = [];
  const closed = node.enum !== undefined || node.const !== undefined;
  if (types.includes('string') && !closed && node.maxLength === undefined) {
    found.push(path);
  }
  const numeric = types.includes('integer') || types.includes('number');
  if (numeric && (node.minimum === undefined || node.maximum === undefined)) found.push(path);
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  for (const [name, child] of Object.entries(properties)) {
    found.push(...unboundedFields(child, `${path}.${name}`));
  }
  for (const child of [node.items, ...((node.anyOf as unknown[]) ?? [])]) {
    found.push(...unboundedFields(child, path));
  }
  return found;
}

/**
 * The OAuth authorization server's routes answer in the OAuth protocol's own error format
 * (RFC 6749 §5.2, or an HTML page for the browser), which OAuth clients parse, not HeyGen's
 * envelope; they are held to the other rules (no 5xx, a 4xx writes nothing).
 */
function isOAuthProtocolRoute(url: string): boolean {
  return (
    url.startsWith('/oauth/') ||
    url.startsWith('/v1/oauth/') ||
    url === '/.well-known/openid-configuration'
  );
}

function isEnvelope(res: LightMyRequestResponse, method: string, what: string): void {
  const requestId = res.headers['x-request-id'];
  expect(typeof requestId, `x-request-id header of ${what}`).toBe('string');
  if (method === 'HEAD') return;
  const body = res.json();
  expect(body.request_id).toBe(requestId);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(body.error).toHaveProperty('param');
  expect(body.error).toHaveProperty('doc_url');
}

describe.each(dialects)('every route under fuzzed and hostile input on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let routes: FuzzedRoute[];
  let ada: Customer;
  let operator: Record<string, string>;
  let known: string[];

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    ada = await createCustomer(ctx, { username: 'ada', paid_micro_usd: 50_000_000n });
    operator = operatorHeaders(await createOperatorToken(ctx));
    app = buildServer(ctx);
    routes = collectRoutes(app);
    await app.ready();
    const video = await app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: ada.headers,
      payload: PHOTO_720P,
    });
    known = [ada.account_id, ada.api_key_id, video.json().data.video_id, 'look_twin_sofia'];
    // The authorization server stores its signing and cookie keys on its first request: a one-time
    // initialisation, not a write of the request that happens to come first.
    const discovery = await app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(discovery.statusCode).toBe(200);
  });
  afterAll(async () => {
    await ctx.close();
  });

  function headersFor(route: FuzzedRoute, auth: Auth): Record<string, string> {
    const right = route.url.startsWith('/admin/v1') ? operator : ada.headers;
    if (auth === 'right') return right;
    if (auth === 'wrong') return route.url.startsWith('/admin/v1') ? ada.headers : operator;
    return {};
  }

  it('every string field of every request schema has a maxLength, every number both bounds', () => {
    const unbounded = routes.flatMap((route) =>
      Object.entries(route.schema).flatMap(([part, schema]) =>
        unboundedFields(schema, `${route.method} ${route.url} ${part}`),
      ),
    );
    expect(unbounded).toEqual([]);
  });

  it('no request is a 5xx; every error is the envelope with request_id; a 4xx writes nothing', async () => {
    expect(routes.length).toBeGreaterThan(20);
    const statuses: Record<string, number> = {};
    let cases = 0;
    for (const [index, route] of routes.entries()) {
      const names = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
      const request = fc.record({
        params: fc.tuple(...names.map(() => paramArbitrary(known))),
        query: queryFrom(route.schema.querystring),
        payload: bodyArbitrary(route.schema.body),
        auth: fc.constantFrom<Auth>('right', 'right', 'right', 'wrong', 'none'),
        idempotency_key: fc.constantFrom(null, null, null, 'k\u0000', 'x'.repeat(300), 'a b'),
      });
      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          cases++;
          let url = route.url;
          names.forEach((name, i) => {
            url = url.replace(`:${name}`, input.params[i] as string);
          });
          if (input.query !== '') url = `${url}?${input.query}`;
          const headers: Record<string, string> = headersFor(route, input.auth);
          const options: InjectOptions = { method: route.method as 'GET', url, headers };
          if (input.idempotency_key !== null) headers['idempotency-key'] = input.idempotency_key;
          if (input.payload.content_type !== null) {
            headers['content-type'] = input.payload.content_type;
          }
          if (input.payload.text !== null && route.method !== 'GET' && route.method !== 'HEAD') {
            options.payload = input.payload.text;
          }
          const before = await snapshotDb(ctx, dialect);
          const res = await app.inject(options);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          const what = `${route.method} ${url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          if (res.statusCode >= 400) {
            if (!isOAuthProtocolRoute(route.url)) isEnvelope(res, route.method, what);
            expect(await snapshotDb(ctx, dialect), what).toEqual(before);
          }
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED + index, endOnFailure: true },
      );
    }
    // The figures for docs/reliability.md.
    console.info(
      `fuzz on ${dialect}: ${routes.length} routes, ${cases} cases, seed ${SEED} (+ route index), statuses ${JSON.stringify(statuses)}`,
    );
    await expectLedgerBalanced(ctx);
  }, 420_000);
});
