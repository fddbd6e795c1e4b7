/**
 * The build step of `npm start` (and of `npm ci`, through `prepare`): bundles the gateway's
 * TypeScript (`src/main.ts` and everything it imports) into one ES module, `dist/main.js`, with
 * esbuild, so the running process executes plain JavaScript instead of compiling TypeScript
 * through tsx's loader at run time. Packages stay external (loaded from `node_modules`). Plain
 * JavaScript itself, so it needs no loader; it takes well under a second, and `npm start` runs
 * it every time, so a start never runs stale code.
 */
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
