import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { closeContext, createContext, withTransaction } from '../context.ts';
import { backupSqlite } from '../db/backup.ts';
import { openSqlite } from '../db/connect.ts';
import { createFakeClock } from '../shared/clock.ts';
import { createSeededIds } from '../shared/ids.ts';
import { getWalletBalance } from '../wallets/balance.ts';
import { grantFunds } from '../wallets/grants.ts';

const GRANT_MICRO_USD = 1_000n;

/** Backups are of the embedded SQLite database; PostgreSQL is pg_dump's (docs/operations.md). */
describe('tollgate backup and restore (SQLite)', () => {
  const t = useTestContext('sqlite');
  const files: string[] = [];
  const tempFile = (name: string) => {
    const file = join(tmpdir(), `tollgate-${randomBytes(6).toString('hex')}-${name}`);
    files.push(file, `${file}-wal`, `${file}-shm`, `${file}.restoring`);
    return file;
  };
  afterEach(() => {
    for (const file of files.splice(0)) rmSync(file, { force: true });
  });

  /** Grants 1,000 µUSD again and again until stopped; returns how many it committed. */
  const startWriter = (account_id: string) => {
    let stopped = false;
    let count = 0;
    const done = (async () => {
      while (!stopped) {
        await withTransaction(t.ctx, (tx) =>
          grantFunds(tx, {
            account_id,
            kind: 'paid',
            amount_micro_usd: GRANT_MICRO_USD,
            memo: null,
          }),
        );
        count++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await done;
        return count;
      },
    };
  };

  /** Opens a restored file as a gateway would and reads its wallet and reconcile report. */
  const openRestored = async (file: string, account_id: string) => {
    const ctx = createContext({
      config: t.ctx.config,
      database: openSqlite(file),
      clock: createFakeClock(),
      ids: createSeededIds('restored'),
      log: pino({ level: 'silent' }),
    });
    try {
      const report = await expectLedgerBalanced(ctx);
      const wallet = await getWalletBalance(ctx.db, account_id);
      const grants = await ctx.db
        .selectFrom('grants')
        .select((eb) => eb.fn.countAll<bigint>().as('count'))
        .where('account_id', '=', account_id)
        .executeTakeFirstOrThrow();
      return { report, wallet, grants: grants.count };
    } finally {
      await closeContext(ctx);
    }
  };

  it('a backup taken while a writer commits restores to a consistent ledger with matching balances', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 5_000_000n });
    const backup = tempFile('backup.db');
    const writer = startWriter(ada.account_id);
    const run = await runCli(t.ctx, 'backup', backup, '--json');
    const committed = await writer.stop();
    expect(run.exit_code, run.err).toBe(0);
    expect(JSON.parse(run.out).verification).toMatchObject({ ok: true, integrity: 'ok' });
    expect(committed).toBeGreaterThan(0);

    const fresh = tempFile('restored.db');
    const restored = await runCli(t.ctx, 'restore', backup, '--to', fresh);
    expect(restored.exit_code, restored.err).toBe(0);
    expect(restored.out).toContain('integrity_check: ok');
    const copy = await openRestored(fresh, ada.account_id);
    expect(copy.report.ok).toBe(true);
    // The copy is one instant of the source: the wallet holds exactly the grants it recorded.
    expect(copy.wallet.available_micro_usd).toBe(5_000_000n + (copy.grants - 1n) * GRANT_MICRO_USD);

    // Once the writer stops, a new backup restores to exactly the source's balances.
    const quiet = tempFile('quiet.db');
    expect((await runCli(t.ctx, 'backup', quiet)).exit_code).toBe(0);
    const again = tempFile('again.db');
    expect((await runCli(t.ctx, 'restore', quiet, '--to', again)).exit_code).toBe(0);
    const source = await getWalletBalance(t.ctx.db, ada.account_id);
    expect((await openRestored(again, ada.account_id)).wallet).toEqual(source);
    expect(source.available_micro_usd).toBe(5_000_000n + BigInt(committed) * GRANT_MICRO_USD);
    // A stopped gateway's database (closed, WAL mode) is replaced, its old WAL dropped.
    expect((await runCli(t.ctx, 'restore', backup, '--to', again)).exit_code).toBe(0);
    expect((await openRestored(again, ada.account_id)).wallet).toEqual(copy.wallet);
    await expectLedgerBalanced(t.ctx);
  });

  it('a backup restarted by concurrent commits still ends, with one consistent snapshot', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 1_000_000n });
    const backup = tempFile('steps.db');
    const writer = startWriter(ada.account_id);
    const steps: number[] = [];
    const result = await backupSqlite(
      { source_file: t.ctx.database_file!, backup_file: backup },
      { step_pages_min: 1, on_progress: (done) => steps.push(done) },
    );
    await writer.stop();
    expect(result.verification.ok).toBe(true);
    expect(steps.length).toBeGreaterThan(2);
    const copy = await openRestored(backup, ada.account_id);
    expect(copy.wallet.available_micro_usd).toBe(1_000_000n + (copy.grants - 1n) * GRANT_MICRO_USD);
  });

  it('restore over a database a process has open is refused with exit code 2 and changes nothing', async () => {
    await createCustomer(t.ctx, { paid_micro_usd: 1_000_000n });
    const backup = tempFile('live.db');
    expect((await runCli(t.ctx, 'backup', backup)).exit_code).toBe(0);
    const live = t.ctx.database_file!;
    const before = readFileSync(live);
    const refused = await runCli(t.ctx, 'restore', backup, '--to', live);
    expect(refused).toMatchObject({ exit_code: 2, out: '' });
    expect(refused.err).toContain('database_in_use');
    expect(readFileSync(live).equals(before)).toBe(true);
    await expectLedgerBalanced(t.ctx);
  });

  it('restore refuses a file that is not a verified Tollgate backup, and backup will not overwrite a file', async () => {
    const junk = tempFile('junk.db');
    writeFileSync(junk, 'not a database at all, just text that is long enough to be read');
    const fresh = tempFile('target.db');
    const refused = await runCli(t.ctx, 'restore', junk, '--to', fresh, '--json');
    expect(refused.exit_code).toBe(2);
    expect(refused.err).toContain('backup_invalid');
    const missing = await runCli(t.ctx, 'restore', tempFile('missing.db'), '--to', fresh);
    expect(missing.err).toContain('file_not_found');
    const taken = await runCli(t.ctx, 'backup', junk);
    expect(taken).toMatchObject({ exit_code: 2 });
    expect(taken.err).toContain('file_exists');
  });
});
