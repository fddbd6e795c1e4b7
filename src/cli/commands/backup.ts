/**
 * `tollgate backup <file>` and `tollgate restore <backup> [--to <db file>]`: an online,
 * consistent copy of the SQLite database while the gateway runs, and a verified restore that
 * refuses to replace a database any process has open (`db/backup.ts`). PostgreSQL is backed up
 * with pg_dump (`docs/operations.md`).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  type BackupVerification,
  backupSqlite,
  restoreSqlite,
  sqliteFileOf,
} from '../../db/backup.ts';
import { DomainError } from '../../shared/errors.ts';
import { type CliDeps, runCommand, runWithoutContext } from '../deps.ts';
import { createProgressBar } from '../progress.ts';

/** Below this many pages (40 MiB) a backup takes well under a second: no bar. */
const PROGRESS_BAR_PAGES_MIN = 10_000;

const POSTGRES_HINT =
  'this gateway uses PostgreSQL: back it up with pg_dump and restore with pg_restore (docs/operations.md)';

export function registerBackupCommands(program: Command, deps: CliDeps): void {
  program
    .command('backup <file>')
    .description('copy the SQLite database to <file> while the gateway runs, then verify the copy')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const source_file = ctx.dialect === 'sqlite' ? await sqliteFileOf(ctx.db) : null;
        if (source_file === null) throw new DomainError('not_sqlite', POSTGRES_HINT);
        const progress = createProgressBar(deps.io, {
          format: 'backup [{bar}] {value}/{total} pages',
          total_min: PROGRESS_BAR_PAGES_MIN,
        });
        const backup_file = resolve(file);
        let result: Awaited<ReturnType<typeof backupSqlite>>;
        try {
          result = await backupSqlite(
            { source_file, backup_file },
            { on_progress: progress.update },
          );
        } finally {
          progress.stop();
        }
        const value = { backup_file, pages: result.pages, verification: result.verification };
        const text =
          `backed up ${source_file} to ${backup_file} (${result.pages} pages)\n` +
          renderVerification(result.verification);
        return { value, text, exit_code: result.verification.ok ? 0 : 2 };
      });
    });

  program
    .command('restore <backup>')
    .description('replace the SQLite database with a verified backup; refused while it is open')
    .option('--to <db_file>', 'the database file to replace (default: from DATABASE_URL)')
    .option('--json', 'print JSON')
    .action(async (backup: string, options: { to?: string; json?: boolean }) => {
      await runWithoutContext(deps, { json: options.json === true }, async (config) => {
        const target =
          options.to ?? (config.database.dialect === 'sqlite' ? config.database.file_path : null);
        if (target === null) throw new DomainError('not_sqlite', POSTGRES_HINT);
        const target_file = resolve(target);
        const backup_file = resolve(backup);
        const verification = restoreSqlite({ backup_file, target_file });
        const text =
          `restored ${backup_file} to ${target_file}\n${renderVerification(verification)}` +
          (verification.migrations_pending.length > 0 ? 'run `tollgate migrate` next\n' : '') +
          'then check it: `tollgate reconcile`\n';
        return { value: { backup_file, target_file, verification }, text };
      });
    });
}

function renderVerification(v: BackupVerification): string {
  const pending =
    v.migrations_pending.length === 0 ? '' : `, ${v.migrations_pending.length} to apply`;
  return (
    `integrity_check: ${v.integrity}\n` +
    `migrations: ${v.migrations_applied.length} applied${pending}` +
    (v.migrations_unknown.length === 0
      ? ''
      : `, unknown to this build: ${v.migrations_unknown.join(', ')}`) +
    '\n'
  );
}
