import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { drainWorker, PHOTO_720P } from '../../test/videos.ts';
import { submitVideo } from '../jobs/submit.ts';
import type { CreateVideoInput } from '../jobs/video-input.ts';
import { EXIT_CODES } from './deps.ts';

describe.each(dialects)('tollgate billing, statements and key limits (%s)', (dialect) => {
  const t = useTestContext(dialect);
  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('makes an account usage-based with a cap and time zone, then prints its statement as text and as CSV', async () => {
    const ada = await createCustomer(t.ctx);
    const set = await cli(
      'billing',
      'set',
      ada.account_id,
      '--type',
      'usage_based',
      '--cap',
      '10',
      '--time-zone',
      'Europe/Paris',
      '--json',
    );
    expect(set.exit_code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(set.out)).toMatchObject({
      billing_type: 'usage_based',
      spending_cap_micro_usd: 10_000_000,
      time_zone: 'Europe/Paris',
    });
    const job = await submitVideo(t.ctx, {
      account_id: ada.account_id,
      input: PHOTO_720P as CreateVideoInput,
    });
    expect(job.billing_pool).toBe('usage_based');
    await drainWorker(t.ctx);

    const list = await cli('statements', ada.account_id);
    expect(list.out).toBe('2026-11  open  1 charges  $0.50\n');
    const csv = await cli('statements', ada.account_id, '--period', '2026-11', '--csv');
    const rows = parse(csv.out, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => [row.job_id, row.amount_micro_usd])).toEqual([[job.id, '500000']]);
    const shown = await cli('billing', 'show', ada.account_id);
    expect(shown.out).toContain('period 2026-11: charged $0.50, held $0.00');
    const uncapped = await cli('billing', 'set', ada.account_id, '--no-cap', '--json');
    expect(JSON.parse(uncapped.out).spending_cap_micro_usd).toBeNull();
    await expectLedgerBalanced(t.ctx);
  });

  it('refuses a billing change with nothing to set (usage), an unknown time zone and a bad month (domain)', async () => {
    const ada = await createCustomer(t.ctx);
    expect((await cli('billing', 'set', ada.account_id)).exit_code).toBe(EXIT_CODES.usage);
    expect((await cli('billing', 'set', ada.account_id, '--cap', 'lots')).exit_code).toBe(
      EXIT_CODES.usage,
    );
    const zone = await cli('billing', 'set', ada.account_id, '--time-zone', 'Mars/Olympus');
    expect([zone.exit_code, zone.err]).toEqual([
      EXIT_CODES.domain,
      expect.stringContaining('time_zone'),
    ]);
    const month = await cli('statements', ada.account_id, '--period', '2026-13');
    expect(month.exit_code).toBe(EXIT_CODES.domain);
  });

  it('sets, lists and clears a key’s spending limit', async () => {
    const ada = await createCustomer(t.ctx);
    const set = await cli('keys', 'set-limit', ada.api_key_id, '--window', 'day', '--usd', '5');
    expect([set.exit_code, set.out]).toEqual([
      EXIT_CODES.ok,
      `${ada.api_key_id} limit $5.00 per day\n`,
    ]);
    expect((await cli('keys', 'list', ada.account_id)).out).toContain(
      'limit $5.00/day (spent $0.00, held $0.00)',
    );
    const bad = await cli('keys', 'set-limit', ada.api_key_id, '--window', 'week', '--usd', '5');
    expect(bad.exit_code).toBe(EXIT_CODES.domain);
    expect((await cli('keys', 'clear-limit', ada.api_key_id)).exit_code).toBe(EXIT_CODES.ok);
    expect((await cli('keys', 'list', ada.account_id)).out).not.toContain('limit');
  });
});
