// Vite's configuration of the web app (built by scripts/build.mjs into dist/web). Relative asset
// paths, so the same files are served under /dashboard/ and /console/; no inline script (the
// gateway's Content-Security-Policy allows scripts from the gateway only).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: true,
  },
});
