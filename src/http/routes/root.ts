/**
 * `GET /`: where to go from here. A browser (`Accept` naming `text/html`) gets a small HTML page;
 * an API client gets the same links as JSON. The links are `ROOT_LINKS`: the API reference, the
 * OpenAPI document and the health endpoints.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { DOCS_PATH, OPENAPI_PATH } from '../openapi.ts';
import type { PublicRouteOptions } from '../server.ts';

type RootLink = { rel: string; href: string; title: string };

export const ROOT_LINKS: readonly RootLink[] = [
  { rel: 'docs', href: DOCS_PATH, title: 'API reference (interactive)' },
  { rel: 'openapi', href: OPENAPI_PATH, title: 'OpenAPI 3.1 document' },
  { rel: 'healthz', href: '/healthz', title: 'Liveness: the process is alive' },
  { rel: 'readyz', href: '/readyz', title: 'Readiness: database, migrations, job worker' },
  // The dashboard goes here when the gateway serves it:
  // { rel: 'dashboard', href: '/dashboard', title: 'Dashboard' },
];

const RootBody = Type.Object({
  data: Type.Object({
    name: Type.Literal('Tollgate'),
    version: Type.String(),
    links: Type.Record(Type.String(), Type.String(), {
      description: 'rel → path: docs, openapi, healthz, readyz (and dashboard when served).',
    }),
  }),
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderRootHtml(version: string): string {
  const items = ROOT_LINKS.map(
    (link) =>
      `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.href)}</a> — ${escapeHtml(link.title)}</li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tollgate</title></head>
<body>
<h1>Tollgate ${escapeHtml(version)}</h1>
<p>A pay-as-you-go billing gateway that speaks HeyGen’s v3 API.</p>
<ul>
${items}
</ul>
</body>
</html>
`;
}

function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/html\b/i.test(accept);
}

export const rootRoutes: FastifyPluginAsync<PublicRouteOptions> = async (app, { server }) => {
  app.get(
    '/',
    {
      schema: {
        summary: 'Links to the API reference, the OpenAPI document and the health endpoints',
        description: 'HTML for browsers (`Accept: text/html`), JSON for everything else.',
        response: {
          200: {
            description: 'The links',
            content: {
              'application/json': { schema: RootBody },
              'text/html': { schema: Type.String() },
            },
          },
        },
      },
    },
    async (request, reply) => {
      if (wantsHtml(request.headers.accept)) {
        return reply.type('text/html; charset=utf-8').send(renderRootHtml(server.version));
      }
      const links = Object.fromEntries(ROOT_LINKS.map((link) => [link.rel, link.href]));
      return { data: { name: 'Tollgate', version: server.version, links } };
    },
  );
};
