/**
 * The web app in a real Chromium against a real gateway process (`npm start`, which builds the
 * app) on a real port, with the Stripe fake for Checkout: a customer signs in and sees the
 * balance, watches it change live while a job submitted through the API is held and settled,
 * exports the transactions as CSV, creates and revokes an API key, tops up through Checkout and
 * sees the balance rise exactly once; the operator signs in to the console with the operator
 * token and refunds the job, and the refund appears in the customer's history. Every page is
 * checked with axe-core (no serious or critical violation) and photographed into
 * `docs/screenshots/` (the billing pages: `dashboard-billing-browser.test.ts`). SQLite only: the routes underneath are tested on both databases.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium, screenshot, seriousViolations } from '../browser.ts';
import { type GatewayProcess, startGatewayProcess } from '../gateway-process.ts';
import { type StripeFake, startStripeFake } from '../stripe-fake.ts';

const OPERATOR_TOKEN = 'tgop_dashboard_browser_test_token_0123456789';
/** 150 characters: held at 10 characters per second (15 s), spoken in 10 s: $1.0005 then $0.667. */
const SCRIPT =
  'Welcome to Tollgate. Every second of this video is billed from the published rate card, held before the render and settled on the exact output length.';
const STEP_TIMEOUT_MS = 20_000;

// Chromium comes from Debian's package; CI installs it (.ci/run), so only a bare machine skips.
const runIt = chromiumInstalled || process.env.CI === 'true' ? describe : describe.skip;

runIt('the dashboard in Chromium', () => {
  let gateway: GatewayProcess;
  let fake: StripeFake;
  let browser: Browser;
  let customer: BrowserContext;
  let page: Page;
  let user: { email: string; password: string };
  let job_id: string;

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.key !== undefined) headers['x-api-key'] = init.key;
    else headers.authorization = `Bearer ${OPERATOR_TOKEN}`;
    return fetch(`${gateway.base_url}${path}`, { ...init, headers });
  };

  /** Navigates to a page of the app, checks it with axe and saves its screenshot. */
  const visit = async (target: Page, path: string, heading: string, shot: string) => {
    await target.goto(`${gateway.base_url}${path}`);
    await target.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expect.poll(() => target.getByText(/^Loading/).count()).toBe(0);
    expect(await seriousViolations(target), `axe on ${path}`).toEqual([]);
    await screenshot(target, shot);
  };

  const available = () => page.getByTestId('available').textContent();

  beforeAll(async () => {
    fake = await startStripeFake();
    gateway = await startGatewayProcess({
      ...fake.env,
      TOLLGATE_ADMIN_TOKEN: OPERATOR_TOKEN,
      TOLLGATE_SIMULATOR_LATENCY_MS: '2500',
    });
    fake.setWebhookTarget({ url: `${gateway.base_url}/webhooks/stripe` });
    // The demo account's user, as `npm start` prints it for a newcomer.
    const printed = /email (\S+)\s+password (\S+)/.exec(gateway.output());
    expect(printed, gateway.output()).not.toBeNull();
    user = { email: printed![1]!, password: printed![2]! };
    browser = await launchChromium();
    // bypassCSP lets the test inject axe-core; the app itself runs under the gateway's CSP.
    customer = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
    page = await customer.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    gateway?.cleanup();
    await fake?.close();
  });

  it('a newcomer signs in with the demo user printed at start and sees the balance', async () => {
    await page.goto(`${gateway.base_url}/dashboard/`);
    await page.getByRole('heading', { name: 'Sign in to Tollgate' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Balance' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    expect(await available()).toBe('$25.00');
    expect(await page.getByTestId('available').locator('span').getAttribute('title')).toBe(
      '25,000,000 µUSD (exact)',
    );
    const cookies = await customer.cookies();
    const session = cookies.find((cookie) => cookie.name === 'tollgate_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'balance');
  }, 60_000);

  it('the balance changes live while a job submitted through the API is held and settled', async () => {
    const submitted = await api('/v3/videos', {
      method: 'POST',
      key: gateway.demo_api_key,
      body: JSON.stringify({
        type: 'avatar',
        avatar_id: 'look_twin_sofia',
        script: SCRIPT,
        resolution: '1080p',
      }),
    });
    expect(submitted.status).toBe(200);
    job_id = ((await submitted.json()) as { data: { video_id: string } }).data.video_id;
    // No reload: the page hears the hold, then the settlement, over Server-Sent Events.
    await page.getByTestId('held').getByText('$1.0005').waitFor();
    expect(await available()).toBe('$23.9995');
    await page.getByTestId('settled').getByText('$0.667').waitFor();
    expect(await available()).toBe('$24.333');
    expect(await page.getByTestId('held').textContent()).toBe('$0.00');
  }, 60_000);

  it('the transactions export as a CSV file with the hold and the settlement', async () => {
    await visit(page, '/dashboard/#/transactions', 'Transactions', 'transactions');
    await page.getByTestId('transactions').getByText('settlement').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe(
      'id,created_at,kind,direction,amount_usd,amount_micro_usd,hold_status,product,reference,memo,operator',
    );
    const rows = csv.slice(1).map((line) => line.split(','));
    expect(rows.find((row) => row[2] === 'settlement' && row[8] === job_id)?.[5]).toBe('667000');
    expect(rows.find((row) => row[2] === 'hold' && row[8] === job_id)?.[5]).toBe('1000500');
    expect(rows.find((row) => row[2] === 'grant')?.[5]).toBe('25000000');

    await page.getByLabel('Kind').selectOption('grant');
    await expect.poll(() => page.getByTestId('transactions').locator('tbody tr').count()).toBe(1);
  }, 60_000);

  it('an API key is created with its secret shown once, works, and stops working when revoked', async () => {
    await visit(page, '/dashboard/#/keys', 'API keys', 'api-keys');
    await page.getByLabel('Name (optional)').fill('browser test');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key-secret').textContent())!;
    expect(secret).toMatch(/^tg_/);
    expect((await api('/v3/users/me', { key: secret })).status).toBe(200);
    await screenshot(page, 'api-key-created');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke browser test' }).click();
    await page.getByTestId('api-keys').getByText('revoked').waitFor();
    expect((await api('/v3/users/me', { key: secret })).status).toBe(401);
    await page.reload();
    await page.getByTestId('api-keys').waitFor();
    expect(await page.getByTestId('new-key').count()).toBe(0);
  }, 60_000);

  it('a top-up through Checkout raises the balance exactly once', async () => {
    await visit(page, '/dashboard/#/top-up', 'Top up', 'top-up');
    await page.getByLabel('Amount (USD)').fill('10');
    await page.getByRole('button', { name: 'Pay with Checkout' }).click();
    await page.waitForURL(/\/checkout\//);
    const [paid] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/pay')),
      page.getByRole('button', { name: 'Pay' }).click(),
    ]);
    const { redirect } = (await paid.json()) as { redirect: string };
    const back = new URL(redirect);
    await page.goto(`${gateway.base_url}${back.pathname}${back.search}`);
    await page.getByText('Payment received by Checkout').waitFor();
    await page.getByTestId('top-up-available').getByText('$34.333').waitFor();
    await screenshot(page, 'top-up-returned');

    const completed = [...fake.state.events.values()].find(
      (event) => (event as unknown as { type: string }).type === 'checkout.session.completed',
    );
    expect(await fake.deliver(completed as never)).toBe(200);
    await page.goto(`${gateway.base_url}/dashboard/#/balance`);
    await page.getByText('Live', { exact: true }).waitFor();
    expect(await available()).toBe('$34.333');
  }, 60_000);

  it('the other customer pages load with no serious accessibility violation', async () => {
    await visit(page, '/dashboard/#/usage', 'Usage', 'usage');
    await page.getByRole('img', { name: /Charges per product per day/ }).waitFor();
    await visit(page, '/dashboard/#/settings', 'Settings', 'settings');
    await visit(page, '/dashboard/#/rate-card', 'Rate card', 'rate-card');
    await page.getByRole('button', { name: 'Get a quote' }).click();
    await page.getByTestId('quote').waitFor();
    await page.setViewportSize({ width: 375, height: 812 });
    await visit(page, '/dashboard/#/balance', 'Balance', 'balance-375px');
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth > document.documentElement.clientWidth',
    );
    expect(overflow, 'no horizontal scrolling at 375 px').toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);

  it("an operator's refund in the console appears in the customer's history", async () => {
    const console = await browser.newContext({ bypassCSP: true });
    const operator = await console.newPage();
    operator.setDefaultTimeout(STEP_TIMEOUT_MS);
    await operator.goto(`${gateway.base_url}/console/`);
    await operator.getByRole('heading', { name: 'Operator console' }).waitFor();
    await operator.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await operator.getByLabel('Search by id, username or email').fill('demo');
    await operator.getByRole('button', { name: 'Search' }).click();
    await operator.getByRole('link', { name: 'demo' }).click();
    await operator.getByRole('heading', { level: 1, name: 'Account demo' }).waitFor();
    await screenshot(operator, 'console-account');
    expect(await seriousViolations(operator)).toEqual([]);

    const refund = operator.getByTestId('refund-form');
    await refund.getByLabel('Job id').fill(job_id);
    await refund.getByLabel('Reason').fill('render glitch');
    await refund.getByRole('button', { name: 'Refund' }).click();
    await operator.getByText('Refund recorded.').waitFor();

    await visit(page, '/dashboard/#/transactions', 'Transactions', 'transactions');
    const row = page.getByTestId('transactions').locator('tr', { hasText: 'render glitch' });
    await row.waitFor();
    expect(await row.textContent()).toContain('refund');
    await page.goto(`${gateway.base_url}/dashboard/#/balance`);
    await page.getByText('Live', { exact: true }).waitFor();
    expect(await available()).toBe('$35.00');

    for (const [path, heading, shot] of [
      ['/console/#/rate-cards', 'Rate cards', 'console-rate-cards'],
      ['/console/#/jobs', 'Jobs in flight', 'console-jobs'],
      ['/console/#/revenue', 'Revenue', 'console-revenue'],
      ['/console/#/reconcile', 'Reconcile', 'console-reconcile'],
      ['/console/#/accounts', 'Accounts', 'console-accounts'],
    ] as const) {
      await visit(operator, path, heading, shot);
    }
    await operator.goto(`${gateway.base_url}/console/#/reconcile`);
    await operator.getByRole('button', { name: 'Run a reconcile now' }).click();
    await operator.getByTestId('reconcile').getByText('OK: no drift').waitFor();
    await screenshot(operator, 'console-reconcile');
    await console.close();
  }, 120_000);
});
