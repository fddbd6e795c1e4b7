/**
 * Browser tests' helpers: Debian's Chromium driven by `playwright-core` (no browser download;
 * `.ci/run` installs the `chromium` package when missing), axe-core injected into a page to find
 * serious or critical accessibility violations, and screenshots saved to `docs/screenshots/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOTS_DIR = resolve(import.meta.dirname, '../docs/screenshots');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** True when Chromium is installed (CI installs it; a machine without it skips unless CI). */
export const chromiumInstalled = existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  // As root (CI, containers) Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: unknown[] };

/** The serious and critical axe-core violations of the page as it stands. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  // A string, evaluated in the page (this file is compiled without the DOM's types).
  const violations = (await page.evaluate(`axe.run(document).then((result) =>
    result.violations.map(({ id, impact, help, nodes }) =>
      ({ id, impact, help, nodes: nodes.map((node) => node.target) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
