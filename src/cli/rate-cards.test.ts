import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { createTestContext, dialects, type TestContext } from '../../test/harness.ts';
import { fullCardBody } from '../../test/rate-cards.ts';
import { DEFAULT_RATE_CARD_VERSION } from '../pricing/default-card.ts';

describe.each(dialects)('tollgate rate-cards CLI on %s', (dialect) => {
  let ctx: TestContext;
  let dir: string;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    dir = mkdtempSync(join(tmpdir(), 'tollgate-cards-'));
  });
  afterEach(async () => {
    await ctx.close();
  });

  const cli = (...args: string[]) => runCli(ctx, ...args);

  function cardFile(body: unknown): string {
    const file = join(dir, 'card.json');
    writeFileSync(file, JSON.stringify(body));
    return file;
  }

  it('imports a scheduled card, lists it with the active default, and shows it', async () => {
    const file = cardFile(fullCardBody('ops-2027', { 'lipsync.speed': '0.03' }));
    const at = new Date(Number(ctx.clock.now_ms() + 60_000n)).toISOString();
    const imported = await cli('rate-cards', 'import', file, '--effective-at', at, '--json');
    expect(imported.exit_code, imported.err).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ version: 'ops-2027', status: 'scheduled' });
    const listed = await cli('rate-cards', 'list');
    expect(listed.out).toContain('ops-2027 scheduled');
    expect(listed.out).toContain(`${DEFAULT_RATE_CARD_VERSION} active`);
    const shown = await cli('rate-cards', 'show', 'ops-2027');
    expect(shown.out).toContain('lipsync.speed 0.03/second');
  });

  it('refuses an inexact card naming the row, with exit code 2, storing nothing', async () => {
    const body = fullCardBody('bad', { 'lipsync.speed': '0.03333333' });
    const run = await cli('rate-cards', 'import', cardFile(body));
    expect(run.exit_code).toBe(2);
    expect(run.err).toMatch(/^tollgate: rate_card_rejected: .*lipsync\.speed/);
    expect(await ctx.db.selectFrom('rate_cards').selectAll().execute()).toEqual([]);
  });

  it('sets, shows and deletes an account override', async () => {
    const ada = await createCustomer(ctx, { username: 'ada' });
    const set = await cli(
      'rate-cards',
      'override',
      'set',
      ada.account_id,
      'video_translation.proofread=0.1',
      '--memo',
      'Enterprise contract',
    );
    expect(set.exit_code, set.err).toBe(0);
    expect(set.out).toContain('v1 active: video_translation.proofread=0.1');
    const shown = JSON.parse(
      (await cli('rate-cards', 'override', 'show', ada.account_id, '--json')).out,
    );
    expect(shown.data).toEqual([
      expect.objectContaining({ version: 1, memo: 'Enterprise contract' }),
    ]);
    expect((await cli('rate-cards', 'override', 'delete', ada.account_id)).out).toContain('ended');
    const bad = await cli('rate-cards', 'override', 'set', ada.account_id, 'lipsync.speed');
    expect(bad.exit_code).toBe(1);
  });
});
