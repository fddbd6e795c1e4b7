import { describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness.ts';
import { useServer } from '../../../test/server-fixture.ts';

const LINKS = ['/docs', '/openapi.json', '/healthz', '/readyz'];

describe.each(dialects)('GET / on %s', (dialect) => {
  const t = useServer(dialect);

  it('answers a browser with an HTML page linking the reference, the document and health', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const href of LINKS) expect(res.body).toContain(`<a href="${href}">`);
  });

  it('answers an API client with the same links as JSON, and each link is served', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { data } = res.json();
    expect(data).toMatchObject({
      name: 'Tollgate',
      links: { docs: '/docs', openapi: '/openapi.json', healthz: '/healthz', readyz: '/readyz' },
    });
    for (const href of Object.values<string>(data.links)) {
      const linked = await t.app.inject({ method: 'GET', url: href });
      expect([200, 302], href).toContain(linked.statusCode);
    }
  });
});
