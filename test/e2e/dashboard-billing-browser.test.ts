/**
 * The dashboard's billing pages in a real Chromium against a real gateway process (`npm start`):
 * a customer creates a webhook endpoint pointed at a local receiver and sees its secret once,
 * a job submitted through the API is delivered and shows in the endpoint's log, and its
 * redelivery reaches the receiver again; the operator stores a new rate-card version and an
 * override for the account and sets a key's spending limit in the console, and the customer's
 * rate card and keys show them; the web plan shows on the balance page; a usage-based account's
 * statement downloads as CSV, and a wallet account's statements page says why it has none.
 * Every page is checked with axe-core and photographed into `docs/screenshots/`. SQLite only:
 * the routes underneath are tested on both databases.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium, screenshot, seriousViolations } from '../browser.ts';
import { type GatewayProcess, startGatewayProcess } from '../gateway-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.ts';

const OPERATOR_TOKEN = 'tgop_dashboard_billing_browser_token_0123456789';
const STEP_TIMEOUT_MS = 20_000;
const VIDEO = {
  type: 'avatar',
  avatar_id: 'look_twin_sofia',
  script: 'A short video for the billing pages of the dashboard.',
  resolution: '1080p',
};

const runIt = chromiumInstalled || process.env.CI === 'true' ? describe : describe.skip;

runIt('the dashboard billing pages in Chromium', () => {
  let gateway: GatewayProcess;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let customer: BrowserContext;
  let page: Page;
  let operator: Page;

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.key !== undefined) headers['x-api-key'] = init.key;
    else headers.authorization = `Bearer ${OPERATOR_TOKEN}`;
    const response = await fetch(`${gateway.base_url}${path}`, { ...init, headers });
    const body = (await response.json()) as { data: Record<string, unknown> };
    expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(200);
    return body.data;
  };

  /** Loads `path` in a fresh document (a hash change alone would keep the page's data). */
  const visit = async (target: Page, path: string, heading: string, shot: string) => {
    await target.goto('about:blank');
    await target.goto(`${gateway.base_url}${path}`);
    await target.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expect.poll(() => target.getByText(/^Loading/).count()).toBe(0);
    expect(await seriousViolations(target), `axe on ${path}`).toEqual([]);
    await screenshot(target, shot);
  };

  const signIn = async (target: Page, email: string, password: string) => {
    await target.goto(`${gateway.base_url}/dashboard/`);
    await target.getByLabel('Email').fill(email);
    await target.getByLabel('Password').fill(password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByRole('heading', { level: 1, name: 'Balance' }).waitFor();
  };

  /** Submits a video with `key` and waits until it is settled. */
  const renderVideo = async (key: string) => {
    const job = await api('/v3/videos', { method: 'POST', key, body: JSON.stringify(VIDEO) });
    const id = job.video_id as string;
    await expect
      .poll(async () => (await api(`/v3/videos/${id}`, { key })).status, { timeout: 15_000 })
      .toBe('completed');
    return id;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startGatewayProcess({
      TOLLGATE_ADMIN_TOKEN: OPERATOR_TOKEN,
      TOLLGATE_ALLOW_PRIVATE_URLS: '1',
    });
    const printed = /email (\S+)\s+password (\S+)/.exec(gateway.output());
    expect(printed, gateway.output()).not.toBeNull();
    browser = await launchChromium();
    customer = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
    page = await customer.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await signIn(page, printed![1]!, printed![2]!);

    const console = await browser.newContext({ bypassCSP: true });
    operator = await console.newPage();
    operator.setDefaultTimeout(STEP_TIMEOUT_MS);
    await operator.goto(`${gateway.base_url}/console/`);
    await operator.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    gateway?.cleanup();
    await receiver?.close();
  });

  it('a webhook endpoint shows its secret once, logs a job delivery and redelivers it', async () => {
    await visit(page, '/dashboard/#/webhooks', 'Webhooks', 'webhooks-empty');
    await page.getByText('No endpoint yet').waitFor();
    await page.getByLabel('URL').fill(receiver.url('/tollgate'));
    await page.getByLabel('avatar_video.success').check();
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = await page.getByTestId('endpoint-secret-value').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('link', { name: `Deliveries to ${receiver.url('/tollgate')}` }).waitFor();
    await screenshot(page, 'webhook-created');

    const job_id = await renderVideo(gateway.demo_api_key);
    await expect.poll(() => receiver.accepted.length, { timeout: 15_000 }).toBe(1);
    expect(receiver.accepted[0]!.json.event_type).toBe('avatar_video.success');

    await page.reload();
    await page.getByTestId('endpoints').waitFor();
    expect(await page.getByTestId('endpoint-secret').count(), 'the secret is shown once').toBe(0);
    await page.getByRole('link', { name: `Deliveries to ${receiver.url('/tollgate')}` }).click();
    const log = page.getByTestId('deliveries');
    await log.getByText('delivered').waitFor();
    expect(await log.textContent()).toContain('HTTP 200');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'webhooks');

    await log.getByRole('button', { name: /^Redeliver/ }).click();
    await page.getByText(/queued for redelivery/).waitFor();
    await expect.poll(() => receiver.accepted.length, { timeout: 15_000 }).toBe(2);
    expect(receiver.accepted[1]!.headers['webhook-id']).toBe(
      receiver.accepted[0]!.headers['webhook-id'],
    );
    expect(receiver.accepted[1]!.json.event_data.video_id).toBe(job_id);
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return log.locator('tbody tr', { hasText: 'delivered' }).count();
        },
        { timeout: 15_000 },
      )
      .toBe(2);

    await page.setViewportSize({ width: 375, height: 812 });
    await screenshot(page, 'webhooks-375px');
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth > document.documentElement.clientWidth',
    );
    expect(overflow, 'no horizontal scrolling at 375 px').toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);

  it("the operator's new rate-card version, override and key limit show on the customer's pages", async () => {
    const card = (await api('/billing/v1/rate-card', { key: gateway.demo_api_key })) as {
      rows: { sku: string; rate_usd: string | null }[];
    };
    const [priced, overridden] = card.rows.filter((row) => row.rate_usd !== null);

    await visit(operator, '/console/#/rate-cards', 'Rate cards', 'console-rate-card-version');
    const form = operator.getByTestId('new-version');
    await form.getByLabel('Version name').fill('2026-browser');
    await form.getByLabel(`Rate of ${priced!.sku}`).fill('0.123456');
    await form.getByRole('button', { name: 'Store the new version' }).click();
    await operator.getByText('Version 2026-browser stored (active).').waitFor();
    await operator.getByTestId('rate-card-versions').getByText('2026-browser').waitFor();

    await operator.goto(`${gateway.base_url}/console/#/accounts`);
    await operator.getByRole('link', { name: 'demo' }).click();
    await operator.getByRole('heading', { level: 1, name: 'Account demo' }).waitFor();
    const override = operator.getByRole('form', { name: 'Set a negotiated rate' });
    await override.getByLabel('SKU').selectOption(overridden!.sku);
    await override.getByLabel('Rate (USD)').fill('0.0111');
    await override.getByLabel('Reason').fill('volume deal');
    await override.getByRole('button', { name: 'Set rate' }).click();
    await operator.getByText('Override set.').waitFor();
    const limit = operator.getByRole('form', { name: "Set a key's spending limit" });
    await limit.getByLabel('Limit (USD)').fill('50');
    await limit.getByRole('button', { name: 'Set limit' }).click();
    await operator.getByText('Spending limit set.').waitFor();
    await operator.getByTestId('operator-keys').getByText('of $50.00 today').waitFor();
    await expect.poll(() => operator.getByText(/^Loading/).count()).toBe(0);
    expect(await seriousViolations(operator)).toEqual([]);
    await screenshot(operator, 'console-account-billing');

    await visit(page, '/dashboard/#/rate-card', 'Rate card', 'rate-card-override');
    await page.getByText('Version 2026-browser, with your negotiated rates.').waitFor();
    const row = (sku: string) => page.locator('tr', { has: page.getByText(sku, { exact: true }) });
    expect(await row(priced!.sku).textContent()).toContain('$0.123456');
    expect(await row(overridden!.sku).textContent()).toContain('$0.0111');

    await visit(page, '/dashboard/#/keys', 'API keys', 'api-keys-limit');
    expect(await page.getByTestId('api-keys').textContent()).toContain('of $50.00 today');

    await operator.getByRole('button', { name: /^Remove limit/ }).click();
    await operator.getByText('Spending limit removed.').waitFor();
    operator.once('dialog', (dialog) => void dialog.accept());
    await operator.getByRole('button', { name: 'Remove the override' }).click();
    await operator.getByText('Override removed.').waitFor();
  }, 90_000);

  it('the balance page shows the web plan, and the console its margin and OAuth clients', async () => {
    const demo = (await api('/admin/v1/search/accounts?q=demo')) as unknown as { id: string }[];
    // The demo account starts on the Creator plan; an add-on pack shows beside its credits.
    await api(`/admin/v1/accounts/${demo[0]!.id}/credit-packs`, {
      method: 'POST',
      body: JSON.stringify({ credits: '250', memo: 'browser test' }),
    });
    await visit(page, '/dashboard/#/balance', 'Balance', 'balance-web-plan');
    const plan = page.getByTestId('web-plan');
    await plan.getByText('Creator (monthly)').waitFor();
    expect(await plan.getByText('Add-on credits left').locator('..').textContent()).toContain(
      '250',
    );
    await visit(page, '/dashboard/#/statements', 'Statements', 'statements-wallet');
    await page.getByText('Your account is prepaid').waitFor();

    await visit(operator, '/console/#/margin', 'Margin', 'console-margin');
    await operator.getByText('No resold job in the last 30 days.').waitFor();
    await visit(operator, '/console/#/oauth-clients', 'OAuth clients', 'console-oauth-clients');
  }, 60_000);

  it("a usage-based account's statement downloads as CSV with the month's charge", async () => {
    const account = await api('/admin/v1/accounts', {
      method: 'POST',
      body: JSON.stringify({ username: 'postpaid', email: 'billing@postpaid.example' }),
    });
    const account_id = account.id as string;
    await api(`/admin/v1/accounts/${account_id}/billing`, {
      method: 'PATCH',
      body: JSON.stringify({ billing_type: 'usage_based', spending_cap_usd: '100' }),
    });
    const password = 'postpaid-browser-password';
    await api(`/admin/v1/accounts/${account_id}/users`, {
      method: 'POST',
      body: JSON.stringify({ email: 'ops@postpaid.example', password }),
    });
    const key = await api(`/admin/v1/accounts/${account_id}/api-keys`, { method: 'POST' });
    const job_id = await renderVideo(key.key as string);

    const context = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
    const postpaid = await context.newPage();
    postpaid.setDefaultTimeout(STEP_TIMEOUT_MS);
    await signIn(postpaid, 'ops@postpaid.example', password);
    await visit(postpaid, '/dashboard/#/statements', 'Statements', 'statements');
    const statements = postpaid.getByTestId('statements');
    const period = (await statements.locator('tbody tr td a').first().textContent())!;
    expect(period).toMatch(/^\d{4}-\d{2}$/);
    await statements.getByRole('link', { name: period, exact: true }).click();
    await postpaid.getByTestId('statement-charges').getByText(job_id).waitFor();
    await screenshot(postpaid, 'statement-detail');

    const [download] = await Promise.all([
      postpaid.waitForEvent('download'),
      statements.getByRole('link', { name: `CSV of ${period}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`statement-${period}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.includes(job_id))).toBe(true);
    await context.close();
  }, 90_000);
});
