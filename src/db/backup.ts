/**
 * Online backup and offline restore of the embedded SQLite database (PostgreSQL has pg_dump and
 * pg_restore: `docs/operations.md`).
 *
 * `backupSqlite` copies a database that a gateway may be writing to through SQLite's backup API
 * (better-sqlite3's `backup()`), on its own connection. The copy is one consistent snapshot: when
 * a writer commits between two steps, SQLite restarts the copy, and each restart quadruples the
 * pages copied per step, so under any write load it ends with one step (one read transaction, which
 * in WAL mode never blocks the writer). The copy is then verified before it is reported.
 *
 * `restoreSqlite` refuses to touch a database that any process has open: it takes SQLite's
 * exclusive lock on the target (`locking_mode=EXCLUSIVE`, `BEGIN EXCLUSIVE`, no busy wait). Every
 * open connection in WAL mode holds a shared lock on the database's shared-memory file until it
 * closes, and the operating system drops the locks of a dead process, so the check cannot be
 * fooled by a stale pid file or a crashed gateway. While holding that lock it checkpoints and
 * removes the old WAL (so no old frame can ever be applied to the restored file), then renames a
 * verified copy of the backup over the target.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { DomainError } from '../shared/errors.ts';
import type { DB } from './database.ts';
import type { DatabaseToolErrorCode } from './errors.ts';
import { MIGRATIONS } from './migrations/index.ts';

/** Pages copied per backup step at first (4 MiB of 4 KiB pages): a progress bar moves. */
const BACKUP_STEP_PAGES_MIN = 1_024;
const MIGRATION_TABLE = 'kysely_migration';

export type Progress = (done: number, total: number) => void;

export type BackupVerification = {
  ok: boolean;
  integrity: string;
  /** Migrations recorded in the backup, in order. */
  migrations_applied: string[];
  /** Migrations of this build the backup lacks (`tollgate migrate` applies them after a restore). */
  migrations_pending: string[];
  /** Migrations in the backup this build does not know: it came from a newer Tollgate. */
  migrations_unknown: string[];
};

function toolError(code: DatabaseToolErrorCode, message: string): DomainError {
  return new DomainError(code, message);
}

/** The file of an open SQLite database (`PRAGMA database_list`), or null for in-memory. */
export async function sqliteFileOf(db: Kysely<DB>): Promise<string | null> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  const file = rows.find((row) => row.name === 'main')?.file ?? '';
  return file === '' ? null : file;
}

/** Copies `source_file` to `backup_file` (which must not exist) while others may write to it. */
export async function backupSqlite(
  files: { source_file: string; backup_file: string },
  options: { on_progress?: Progress; step_pages_min?: number } = {},
): Promise<{ pages: number; verification: BackupVerification }> {
  const on_progress = options.on_progress ?? (() => {});
  if (existsSync(files.backup_file)) {
    throw toolError('file_exists', `${files.backup_file} exists; choose a new backup file`);
  }
  const source = new SQLite(files.source_file, { fileMustExist: true });
  let pages = 0;
  try {
    let step = options.step_pages_min ?? BACKUP_STEP_PAGES_MIN;
    let remainingBefore = Number.POSITIVE_INFINITY;
    const metadata = await source.backup(files.backup_file, {
      progress: ({ totalPages, remainingPages }) => {
        // More left than after the last step: a writer committed and SQLite started over.
        if (remainingPages >= remainingBefore) step *= 4;
        remainingBefore = remainingPages;
        on_progress(totalPages - remainingPages, totalPages);
        return step;
      },
    });
    pages = metadata.totalPages;
  } finally {
    source.close();
  }
  on_progress(pages, pages);
  return { pages, verification: verifySqliteBackup(files.backup_file) };
}

/** Checks a backup file: SQLite's `integrity_check` and its migrations table against this build. */
export function verifySqliteBackup(file: string): BackupVerification {
  if (!existsSync(file)) throw toolError('file_not_found', `${file} does not exist`);
  let backup: SQLite.Database | null = null;
  try {
    backup = new SQLite(file, { readonly: true, fileMustExist: true });
    return readVerification(backup);
  } catch (err) {
    if (!(err instanceof SQLite.SqliteError)) throw err;
    throw new DomainError('backup_invalid', `${file} is not a SQLite database (${err.code})`, {
      cause: err,
    });
  } finally {
    backup?.close();
  }
}

function readVerification(backup: SQLite.Database): BackupVerification {
  const integrity = readIntegrity(backup);
  const hasTable = backup
    .prepare(`select 1 from sqlite_master where type = 'table' and name = ?`)
    .get(MIGRATION_TABLE);
  const applied =
    hasTable === undefined
      ? []
      : (backup
          .prepare(`select name from ${MIGRATION_TABLE} order by name`)
          .pluck()
          .all() as string[]);
  const known = Object.keys(MIGRATIONS);
  const migrations_unknown = applied.filter((name) => !known.includes(name));
  return {
    ok: integrity === 'ok' && applied.length > 0 && migrations_unknown.length === 0,
    integrity,
    migrations_applied: applied,
    migrations_pending: known.filter((name) => !applied.includes(name)),
    migrations_unknown,
  };
}

function readIntegrity(database: SQLite.Database): string {
  const rows = database.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).join('; ');
}

/**
 * Replaces `target_file` with a verified copy of `backup_file`. Refuses (`database_in_use`)
 * while any process has the target open, and (`backup_invalid`) a backup that fails
 * verification; in both cases the target is untouched.
 */
export function restoreSqlite(files: {
  backup_file: string;
  target_file: string;
}): BackupVerification {
  const verification = verifySqliteBackup(files.backup_file);
  if (!verification.ok) throw invalidBackup(files.backup_file, verification);
  const staged = `${files.target_file}.restoring`;
  rmSync(staged, { force: true });
  copyFileSync(files.backup_file, staged);
  const lock = existsSync(files.target_file) ? lockExclusively(files.target_file) : null;
  try {
    const stagedVerification = verifySqliteBackup(staged);
    if (!stagedVerification.ok) throw invalidBackup(staged, stagedVerification);
    if (lock !== null) {
      // We alone have the old database open: fold its WAL in and drop it, so no frame of the
      // old database can ever be replayed onto the restored file.
      lock.pragma('wal_checkpoint(TRUNCATE)');
      lock.pragma('journal_mode = DELETE');
    }
    for (const suffix of ['-wal', '-shm']) rmSync(`${files.target_file}${suffix}`, { force: true });
    renameSync(staged, files.target_file);
  } finally {
    lock?.close();
    rmSync(staged, { force: true });
  }
  return verification;
}

function invalidBackup(file: string, verification: BackupVerification): DomainError {
  const reasons = [
    verification.integrity === 'ok' ? null : `integrity_check: ${verification.integrity}`,
    verification.migrations_applied.length === 0 ? 'no Tollgate migrations table' : null,
    verification.migrations_unknown.length === 0
      ? null
      : `made by a newer Tollgate (migrations ${verification.migrations_unknown.join(', ')})`,
  ].filter((reason) => reason !== null);
  return new DomainError(
    'backup_invalid',
    `${file} is not a usable backup: ${reasons.join('; ')}`,
    {
      details: { ...verification },
    },
  );
}

/** An exclusive lock on a database file, or `database_in_use` if any process has it open. */
function lockExclusively(file: string): SQLite.Database {
  const database = new SQLite(file, { fileMustExist: true, timeout: 0 });
  try {
    database.pragma('locking_mode = EXCLUSIVE');
    database.exec('begin exclusive');
    database.exec('commit');
    return database;
  } catch (err) {
    database.close();
    if (err instanceof SQLite.SqliteError && err.code.startsWith('SQLITE_BUSY')) {
      throw new DomainError(
        'database_in_use',
        `${file} is open in another process (a running gateway?); stop it before restoring`,
        { cause: err },
      );
    }
    throw err;
  }
}
