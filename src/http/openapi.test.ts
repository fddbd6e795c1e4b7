/**
 * The OpenAPI document: valid OpenAPI 3.1 (a maintained validator, refs resolved), and complete:
 * every route the server registers (seen by an `onRoute` hook, so routes added later are checked
 * without a list) is in it with its method, its security scheme and a documented success
 * response, except the reasoned exclusions below. The document is built from the route schemas
 * only, never from the database, so it is checked on SQLite alone.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness.ts';
import { DOCS_PATH, OPENAPI_PATH } from './openapi.ts';
import { buildServer } from './server.ts';

type Operation = {
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, { content?: Record<string, unknown> }>;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

/** Routes served but deliberately not in the document, each with its reason. */
const EXCLUDED: Array<{ matches: (method: string, url: string) => boolean; reason: string }> = [
  {
    matches: (method) => method === 'HEAD',
    reason: 'Fastify adds a HEAD route for every GET (exposeHeadRoutes); the GET is documented',
  },
  {
    matches: (_method, url) => url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`),
    reason: 'the Swagger UI page and its static assets, not API operations',
  },
  { matches: (_method, url) => url === OPENAPI_PATH, reason: 'the document itself' },
  {
    matches: (_method, url) =>
      ['/dashboard', '/console', '/billing/top-ups'].some((prefix) => url.startsWith(prefix)) &&
      !url.startsWith('/dashboard/v1/'),
    reason:
      "the web app's files and Checkout's return redirect (docs/dashboard.md), not API operations",
  },
  {
    matches: (_method, url) =>
      url.startsWith('/oauth/') ||
      url.startsWith('/v1/oauth/') ||
      url === '/.well-known/openid-configuration',
    reason:
      'the OAuth 2.0 authorization server (oidc-provider): form-encoded RFC 6749/7009 endpoints and its sign-in and consent pages, described in the README (OAuth), not JSON API operations',
  },
];

/** `/v3/videos/:video_id` → `/v3/videos/{video_id}`, as OpenAPI writes path templates. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const SECURITY_BY_PREFIX: Array<[string, string]> = [
  ['/v3/', 'api_key'],
  ['/billing/v1/', 'api_key'],
  ['/admin/v1/', 'operator_token'],
  ['/metrics', 'operator_token'],
  // Signing in needs no credential; every other route of the web app takes its session cookie.
  ['/dashboard/v1/sessions', ''],
  ['/dashboard/v1/operator-sessions', ''],
  ['/dashboard/v1/', 'session_cookie'],
];

describe('OpenAPI document', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const registered: Array<{ method: string; url: string }> = [];
  let document: Document;

  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    app = buildServer(ctx);
    // Route modules are registered when the server loads, so this hook sees every route.
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: OPENAPI_PATH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    document = res.json();
  });

  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('is valid OpenAPI 3.1 and every $ref resolves', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('has every registered route with its method, except the reasoned exclusions', () => {
    expect(registered.length).toBeGreaterThan(40);
    const missing = registered
      .filter(({ method, url }) => !EXCLUDED.some((rule) => rule.matches(method, url)))
      .filter(
        ({ method, url }) => document.paths[openApiPath(url)]?.[method.toLowerCase()] === undefined,
      )
      .map(({ method, url }) => `${method} ${url}`);
    expect(missing).toEqual([]);
  });

  it('documents nothing that is not served', () => {
    const served = new Set(registered.map(({ method, url }) => `${method} ${openApiPath(url)}`));
    const extra = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .map((method) => `${method.toUpperCase()} ${path}`)
        .filter((operation) => !served.has(operation)),
    );
    expect(extra).toEqual([]);
  });

  it('gives every operation a tag, a success response and its error envelope', () => {
    const incomplete: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        const success = statuses.filter((status) => /^2/.test(status));
        const problems = [
          (operation.tags?.length ?? 0) === 0 && 'no tag',
          success.length === 0 && 'no 2xx response',
          success.some((status) => operation.responses?.[status]?.content === undefined) &&
            '2xx without a body schema',
          !statuses.includes('400') && 'no 400',
          !statuses.includes('4XX') && 'no 4XX',
        ].filter((problem) => problem !== false);
        if (problems.length > 0) incomplete.push(`${method.toUpperCase()} ${path}: ${problems}`);
      }
    }
    expect(incomplete).toEqual([]);
  });

  it('requires x-api-key on customer routes and the operator bearer token on /admin/v1', () => {
    expect(document.components.securitySchemes).toMatchObject({
      api_key: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      operator_token: { type: 'http', scheme: 'bearer' },
    });
    const wrong: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      const expected = SECURITY_BY_PREFIX.find(([prefix]) => path.startsWith(prefix))?.[1];
      for (const [method, operation] of Object.entries(operations)) {
        const schemes = (operation.security ?? []).flatMap((entry) => Object.keys(entry));
        if (expected === undefined ? schemes.length > 0 : schemes.join() !== expected) {
          wrong.push(`${method.toUpperCase()} ${path}: [${schemes}]`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('serves the /docs reference and its assets from the gateway itself, no CDN', async () => {
    const page = await app.inject({ method: 'GET', url: `${DOCS_PATH}/` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const res = await app.inject({
        method: 'GET',
        url: new URL(asset, 'http://x/docs/').pathname,
      });
      expect(res.statusCode, asset).toBe(200);
    }
    const initializer = await app.inject({
      method: 'GET',
      url: `${DOCS_PATH}/static/swagger-initializer.js`,
    });
    expect(initializer.body).toContain('validatorUrl: null');
    expect(initializer.body).toContain("resolveUrl('./json')");
    const json = await app.inject({ method: 'GET', url: `${DOCS_PATH}/json` });
    expect(json.json().openapi).toBe('3.1.0');
  });
});
