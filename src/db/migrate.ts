/**
 * Runs the frozen migrations in `migrations/` in name order. A migration, once released, is never
 * edited; a change is a new file. Used at start, by `tollgate migrate` and by the test harness.
 */
import { type Kysely, type Migration, Migrator } from 'kysely';
import type { DB } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => MIGRATIONS as Record<string, Migration> },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((r) => r.migrationName);
}

/** Names of the migrations not yet applied to this database (empty when it is up to date). */
export async function pendingMigrations(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => MIGRATIONS as Record<string, Migration> },
  });
  const migrations = await migrator.getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
