import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import {
  drainWorker,
  PHOTO_720P,
  PHOTO_720P_CHARGE_MICRO_USD,
  SCRIPT_150_CHARS,
  submit,
} from '../../test/videos.ts';
import { USAGE_COLUMNS } from './commands/usage.ts';

describe.each(dialects)('tollgate usage, reports and account settings on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 10_000_000n } });
  const cli = (...args: string[]) => runCli(t.ctx, ...args);
  const day = () => new Date(Number(t.ctx.clock.now_ms())).toISOString().slice(0, 10);

  /** Two charged videos, one failed (free) and one test video (free); returns the charged ids. */
  const runJobs = async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push((await submit(t.app, t.ada, PHOTO_720P)).json().data.video_id);
    await submit(t.app, t.ada, { ...PHOTO_720P, script: `${SCRIPT_150_CHARS} [simulate:fail]` });
    await submit(t.app, t.ada, { ...PHOTO_720P, test: true });
    t.ctx.clock.advance(60_000n);
    await drainWorker(t.ctx);
    return ids;
  };

  it('usage export writes one CSV row per charge with job id, product, seconds and amount, nothing for free jobs', async () => {
    const ids = await runJobs();
    const run = await cli('usage', 'export', '--from', day());
    expect(run.exit_code, run.err).toBe(0);
    const [header, ...rows] = run.out.trim().split('\n');
    expect(header).toBe(USAGE_COLUMNS.join(','));
    expect(rows).toHaveLength(2);
    const parsed = rows.map((row) =>
      Object.fromEntries(row.split(',').map((v, i) => [USAGE_COLUMNS[i], v])),
    );
    expect(parsed.map((row) => row.job_id).sort()).toEqual([...ids].sort());
    for (const row of parsed) {
      expect(row).toMatchObject({
        account_id: t.ada.account_id,
        product: 'avatar_video',
        seconds: '10',
        duration_ms: '10000',
        amount_micro_usd: String(PHOTO_720P_CHARGE_MICRO_USD),
        amount_usd: '0.50',
      });
    }
    expect(run.err).toBe('exported 2 charges\n');
    const lines = (await cli('usage', 'export', '--from', day(), '--json')).out.trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).job_id).sort()).toEqual([...ids].sort());
    const other = await cli('usage', 'export', '--from', day(), '--account', 'acct_other');
    expect(other.out.trim().split('\n')).toHaveLength(1);
    const later = await cli('usage', 'export', '--from', '2099-01-01');
    expect(later.exit_code).toBe(1);
    expect(later.err).toContain('--to must be after --from');
    await expectLedgerBalanced(t.ctx);
  });

  it('reports revenue sums charges per product per UTC day', async () => {
    await runJobs();
    const run = await cli('reports', 'revenue', '--from', day(), '--json');
    expect(run.exit_code, run.err).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.data).toEqual([
      {
        day: day(),
        product: 'avatar_video',
        charge_count: 2,
        duration_ms: 20_000,
        charged_amount_micro_usd: Number(2n * PHOTO_720P_CHARGE_MICRO_USD),
        charged_amount_usd: '1.00',
      },
    ]);
    expect(report.total_usd).toBe('1.00');
    expect((await cli('reports', 'revenue', '--from', 'yesterday')).exit_code).toBe(1);
    await expectLedgerBalanced(t.ctx);
  });

  it('accounts set-concurrency changes the limit, back to the default with `default`', async () => {
    const set = await cli('accounts', 'set-concurrency', t.ada.account_id, '3', '--json');
    expect(set.exit_code, set.err).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ id: t.ada.account_id, concurrency_limit: 3 });
    const reset = await cli('accounts', 'set-concurrency', t.ada.account_id, 'default');
    expect(reset.out).toContain(
      `concurrency limit ${t.ctx.config.limits.concurrent_jobs_default} jobs`,
    );
    expect((await cli('accounts', 'set-concurrency', t.ada.account_id, '0')).exit_code).toBe(1);
    const missing = await cli('accounts', 'set-concurrency', 'acct_nope', '3');
    expect(missing.exit_code).toBe(2);
    expect(missing.err).toContain('account_not_found');
  });

  it('rate-cards export prints the card in the shape import takes', async () => {
    const exported = await cli('rate-cards', 'export', 'heygen-payg-2026-06');
    expect(exported.exit_code, exported.err).toBe(0);
    const file = JSON.parse(exported.out);
    expect(file.rows.length).toBeGreaterThan(20);
    expect(file.rows[0]).toEqual(
      expect.objectContaining({ sku: expect.any(String), rate_usd: expect.any(String) }),
    );
    const path = join(mkdtempSync(join(tmpdir(), 'card-')), 'card.json');
    writeFileSync(path, JSON.stringify({ ...file, version: 'copy-1', effective_at: undefined }));
    const imported = await cli(
      'rate-cards',
      'import',
      path,
      '--effective-at',
      '2099-01-01T00:00:00Z',
      '--json',
    );
    expect(imported.exit_code, imported.err).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ version: 'copy-1', status: 'scheduled' });
  });
});
