/**
 * The build step of `npm start` (and of `npm ci`, through `prepare`): bundles the gateway's
 * TypeScript (`src/main.ts` and everything it imports) into one ES module, `dist/main.js`, with
 * esbuild, so the running process executes plain JavaScript instead of compiling TypeScript
 * through tsx's loader at run time. Packages stay external (loaded from `node_modules`). Plain
 * JavaScript itself, so it needs no loader; it takes well under a second, and `npm start` runs
 * it every time, so a start never runs stale code.
 *
 * Then the web app (`web/`, React) is built with Vite into `dist/web/` (served at `/dashboard/`
 * and `/console/`), but only when a file under `web/` is newer than the last build's
 * `dist/web/.built` stamp: a start after a change rebuilds it (a few seconds), a start without
 * one costs a directory walk. The app is built into a directory of its own and then swapped in
 * by renames, so gateways started at the same moment (tests do) never serve a half-emptied
 * `dist/web`.
 */
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

const WEB_SOURCE = 'web';
const WEB_OUT = 'dist/web';
const WEB_STAMP = join(WEB_OUT, '.built');

/** The newest modification time under `dir`, in ms (0 for an empty tree). */
function newestMtimeMs(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function stampMtimeMs() {
  try {
    return statSync(WEB_STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

if (newestMtimeMs(WEB_SOURCE) > stampMtimeMs() || process.env.TOLLGATE_WEB_REBUILD === '1') {
  const { build: viteBuild } = await import('vite');
  const fresh = `${WEB_OUT}.build-${process.pid}`;
  const stale = `${WEB_OUT}.old-${process.pid}`;
  await viteBuild({
    configFile: join(WEB_SOURCE, 'vite.config.mjs'),
    root: WEB_SOURCE,
    logLevel: 'warn',
    build: { outDir: join('..', fresh) },
  });
  writeFileSync(join(fresh, '.built'), `${new Date().toISOString()}\n`);
  try {
    renameSync(WEB_OUT, stale);
  } catch {
    // No earlier build.
  }
  renameSync(fresh, WEB_OUT);
  rmSync(stale, { recursive: true, force: true });
}
