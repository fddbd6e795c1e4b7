/**
 * The web app (`web/`, built by `scripts/build.mjs` into `dist/web/`): one single-page app served
 * at `/dashboard/` (customers) and at `/console/` (the operator console), the same files under
 * both prefixes; the page picks its mode from the path. Routes inside the app are in the URL's
 * hash, so every deep link is served by `index.html` with no fallback routing. A gateway started
 * without a build (unit tests) serves no app and says so at `/dashboard/`. Checkout sends a
 * customer back to `/billing/top-ups/{id}?checkout=success|cancel` (`payments/top-ups.ts`): that
 * lands on the dashboard's top-up page, which says how it went.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { httpError } from '../errors.ts';

/** `dist/web` beside the bundle (`dist/main.js`), or from the source tree (tsx, tests). */
export const WEB_ROOT =
  basename(import.meta.dirname) === 'dist'
    ? resolve(import.meta.dirname, 'web')
    : resolve(import.meta.dirname, '../../../dist/web');
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
export const WEB_PREFIXES = ['/dashboard/', '/console/'] as const;

export const dashboardStaticRoutes: FastifyPluginAsync<{ web_root?: string }> = async (
  app,
  options,
) => {
  const root = options.web_root ?? WEB_ROOT;
  const built = existsSync(resolve(root, 'index.html'));
  app.get(
    '/billing/top-ups/:top_up_id',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ checkout: Type.Optional(Type.String({ maxLength: 16 })) }),
      },
    },
    async (request, reply) => {
      const { checkout } = request.query as { checkout?: string };
      const outcome = checkout === 'success' || checkout === 'cancel' ? checkout : 'success';
      return reply.redirect(`/dashboard/#/top-up?checkout=${outcome}`);
    },
  );
  for (const prefix of WEB_PREFIXES) {
    const bare = prefix.slice(0, -1);
    app.get(bare, { schema: { hide: true } }, async (_request, reply) => reply.redirect(prefix));
    if (!built) {
      app.get(prefix, { schema: { hide: true } }, async () => {
        throw httpError('not_found', 'The web app is not built. Run `npm run build`.');
      });
      continue;
    }
    await app.register(fastifyStatic, {
      root,
      prefix,
      decorateReply: prefix === WEB_PREFIXES[0],
      schemaHide: true,
      // Hashed asset names never change; index.html always revalidates.
      setHeaders: (res, path) => {
        res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader(
          'cache-control',
          path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    });
  }
};
