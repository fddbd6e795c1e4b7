/**
 * Vitest global setup: starts one throwaway PostgreSQL for the whole run and prepares a template
 * database with every migration applied, so each test clones a fresh database in milliseconds.
 * Outside CI a PostgreSQL that cannot start skips the PostgreSQL tests with a loud message; with
 * CI=true it fails the run.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../src/db/migrate.ts';
import { type PostgresServer, startPostgresServer } from './postgres-server.ts';

export const TEMPLATE_DATABASE = 'tollgate_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres_base_url: string | null;
  }
}

async function prepareTemplate(base_url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: `${base_url}postgres` });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const db = new Kysely({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: `${base_url}${TEMPLATE_DATABASE}` }),
    }),
  });
  await migrateToLatest(db as never);
  await db.destroy();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: PostgresServer | null = null;
  try {
    server = await startPostgresServer();
    await prepareTemplate(server.base_url);
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    const line = '!'.repeat(78);
    console.warn(`\n${line}\n  POSTGRESQL TESTS SKIPPED: ${String(err).split('\n')[0]}\n${line}\n`);
  }
  project.provide('postgres_base_url', server?.base_url ?? null);
  return async () => {
    await server?.stop();
  };
}
