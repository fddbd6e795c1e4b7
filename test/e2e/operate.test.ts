/**
 * The "done when", on the real `npm start` (not `buildServer` in-process): a fresh
 * gateway serves `/`, `/docs` with its assets, `/openapi.json`, `/healthz`, and `/readyz` with the
 * running job worker's heartbeat checked (`worker: "ok"`, not `not_monitored`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../gateway-process.ts';

describe('a started gateway is explorable and operable', () => {
  let gateway: GatewayProcess | null = null;

  afterEach(() => {
    gateway?.cleanup();
    gateway = null;
  });

  it('serves the root links, the reference, the document, liveness and readiness', async () => {
    gateway = await startGatewayProcess();
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${gateway!.base_url}${path}`, { headers });
    type Json = { data: Record<string, unknown>; openapi?: string; paths?: Record<string, object> };
    const json = async (res: Response) => (await res.json()) as Json;

    const root = await get('/', { accept: 'application/json' });
    expect((await json(root)).data.links).toMatchObject({ docs: '/docs', readyz: '/readyz' });
    const page = await get('/', { accept: 'text/html' });
    expect(await page.text()).toContain('<a href="/docs">');

    const docs = await get('/docs/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('./static/swagger-ui-bundle.js');
    expect((await get('/docs/static/swagger-ui-bundle.js')).status).toBe(200);

    const document = await json(await get('/openapi.json'));
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths?.['/v3/videos']).toHaveProperty('post');

    expect(await (await get('/healthz')).json()).toEqual({ data: { status: 'ok' } });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect((await json(ready)).data).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', worker: 'ok' },
    });
  });
});
