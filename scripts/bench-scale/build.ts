/**
 * Builds the scale database quickly: Tollgate's own start prepares the file (the migrations
 * through `src/db/migrate.ts` and the operator accounts), then every customer's rows
 * (`rows.ts`) are written with raw prepared statements in big transactions, with the big tables'
 * secondary indexes dropped during the load and recreated from their own stored SQL afterwards
 * (so the schema is exactly the migrations'). Balances are computed from the generated
 * transfers, so `reconcile` is clean. The file is left in WAL mode like any Tollgate database.
 */
import SQLite from 'better-sqlite3';
import { prepareDatabase } from '../../src/bootstrap.ts';
import { loadConfig } from '../../src/config.ts';
import { closeContext, createContext } from '../../src/context.ts';
import { openSqlite } from '../../src/db/connect.ts';
import { createSystemClock } from '../../src/shared/clock.ts';
import { createRandomIds } from '../../src/shared/ids.ts';
import { type BulkTable, bulkTable } from './bulk-insert.ts';
import { type Balance, type CustomerRows, customerRows, JOB_COLUMNS } from './rows.ts';

export type BuildOptions = {
  file: string;
  accounts: number;
  transfers: number;
  /** How many customers, spread over the whole range, the load generator calls. */
  load_accounts: number;
  seed: number;
  on_progress?: (customers_done: number, customers_total: number) => void;
};

export type BuildResult = {
  accounts: number;
  transfers: number;
  jobs: number;
  /** Customer indexes whose keys the load generator uses (`apiKeyOf`). */
  load_indexes: number[];
  seconds: number;
};

const CUSTOMERS_PER_TRANSACTION = 5_000;
const TABLES = [
  'accounts',
  'api_keys',
  'ledger_accounts',
  'grants',
  'ledger_transfers',
  'ledger_pending',
  'jobs',
];
const GRANT_COLUMNS = [
  'id',
  'account_id',
  'kind',
  'amount_micro_usd',
  'memo',
  'transfer_id',
  'created_at_ms',
  'ledger_account_id',
  'priority',
  'closed_at_ms',
];

export async function buildScaleDatabase(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const revenue_shard_count = await prepareWithTollgate(options.file);
  const sqlite = new SQLite(options.file);
  try {
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('cache_size = -1000000');
    // Rows are written child-first within a customer; `checkForeignKeys` verifies them after.
    sqlite.pragma('foreign_keys = OFF');
    const indexes = dropSecondaryIndexes(sqlite);
    const written = writeCustomers(sqlite, options, revenue_shard_count);
    for (const sql of indexes) sqlite.exec(sql);
    sqlite.pragma('journal_mode = WAL');
    return { ...written, seconds: (performance.now() - started) / 1000 };
  } finally {
    sqlite.close();
  }
}

/** Tollgate's own preparation of a database (idempotent); returns the revenue shard count. */
export async function prepareWithTollgate(file: string): Promise<number> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATABASE_URL: `sqlite:${file}`,
    TOLLGATE_DEMO: '0',
  });
  const ctx = createContext({
    config,
    database: openSqlite(file),
    clock: createSystemClock(),
    ids: createRandomIds(),
  });
  try {
    await prepareDatabase(ctx);
  } finally {
    await closeContext(ctx);
  }
  return config.limits.revenue_shard_count;
}

/** Drops the secondary indexes of the tables loaded here; returns their CREATE statements. */
function dropSecondaryIndexes(sqlite: SQLite.Database): string[] {
  const rows = sqlite
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
       and tbl_name in (${TABLES.map(() => '?').join(',')})`,
    )
    .all(...TABLES) as Array<{ name: string; sql: string }>;
  for (const row of rows) sqlite.exec(`drop index ${row.name}`);
  return rows.map((row) => row.sql);
}

type Writers = Record<
  'accounts' | 'api_keys' | 'ledger_accounts' | 'grants' | 'transfers' | 'pendings' | 'jobs',
  BulkTable
>;

function writers(sqlite: SQLite.Database): Writers {
  const cols = (table: string) =>
    (
      sqlite.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as Array<{
        name: string;
      }>
    ).map((c) => c.name);
  return {
    accounts: bulkTable(sqlite, 'accounts', [
      'id',
      'username',
      'email',
      'first_name',
      'last_name',
      'existing_avatar_iii_customer',
      'enterprise',
      'concurrency_limit',
      'created_at_ms',
      'overdraft_limit_micro_usd',
    ]),
    api_keys: bulkTable(sqlite, 'api_keys', [
      'id',
      'account_id',
      'prefix',
      'key_hash',
      'name',
      'created_at_ms',
      'last_used_at_ms',
      'revoked_at_ms',
    ]),
    ledger_accounts: bulkTable(sqlite, 'ledger_accounts', cols('ledger_accounts')),
    grants: bulkTable(sqlite, 'grants', GRANT_COLUMNS),
    transfers: bulkTable(sqlite, 'ledger_transfers', cols('ledger_transfers')),
    pendings: bulkTable(sqlite, 'ledger_pending', cols('ledger_pending')),
    jobs: bulkTable(sqlite, 'jobs', JOB_COLUMNS),
  };
}

function writeCustomers(
  sqlite: SQLite.Database,
  options: BuildOptions,
  revenue_shard_count: number,
): Omit<BuildResult, 'seconds'> {
  const w = writers(sqlite);
  const load = loadIndexes(options.accounts, options.load_accounts);
  const loadSet = new Set(load);
  const operator = new Map<string, Balance>();
  const now_ms = Date.now();
  let jobSequence = 0;
  let transfers = 0;
  let jobs = 0;
  for (let start = 0; start < options.accounts; start += CUSTOMERS_PER_TRANSACTION) {
    const end = Math.min(options.accounts, start + CUSTOMERS_PER_TRANSACTION);
    sqlite.transaction(() => {
      for (let index = start; index < end; index++) {
        const target = Math.floor((options.transfers * (index + 1)) / options.accounts);
        const grants = 1 + (index % 5 === 0 ? 1 : 0) + (loadSet.has(index) ? 1 : 0);
        const job_count = Math.max(0, Math.floor((target - transfers - grants) / 2));
        const rows = customerRows(
          {
            index,
            job_count,
            load: loadSet.has(index),
            now_ms,
            seed: options.seed,
            revenue_shard_count,
          },
          () => jobSequence++,
        );
        writeRows(w, rows);
        transfers += rows.transfers.length;
        jobs += rows.jobs.length;
        for (const [id, delta] of rows.operator) addBalance(operator, id, delta);
      }
      for (const table of Object.values(w)) table.flush();
    })();
    options.on_progress?.(end, options.accounts);
  }
  const update = sqlite.prepare(
    `update ledger_accounts set debits_pending = debits_pending + ?, debits_posted = debits_posted + ?,
     credits_pending = credits_pending + ?, credits_posted = credits_posted + ? where id = ?`,
  );
  for (const [id, b] of operator) {
    const result = update.run(
      b.debits_pending,
      b.debits_posted,
      b.credits_pending,
      b.credits_posted,
      id,
    );
    if (result.changes !== 1) throw new Error(`operator account ${id} is missing`);
  }
  return { accounts: options.accounts, transfers, jobs, load_indexes: load };
}

function writeRows(w: Writers, rows: CustomerRows): void {
  w.accounts.push(rows.account);
  w.api_keys.push(rows.api_key);
  for (const row of rows.ledger_accounts) w.ledger_accounts.push(row);
  for (const row of rows.grants) w.grants.push(row);
  for (const row of rows.transfers) w.transfers.push(row);
  for (const row of rows.pendings) w.pendings.push(row);
  for (const row of rows.jobs) w.jobs.push(row);
}

function addBalance(map: Map<string, Balance>, id: string, delta: Balance): void {
  const entry = map.get(id);
  if (entry === undefined) {
    map.set(id, { ...delta });
    return;
  }
  entry.debits_pending += delta.debits_pending;
  entry.debits_posted += delta.debits_posted;
  entry.credits_pending += delta.credits_pending;
  entry.credits_posted += delta.credits_posted;
}

/** `count` customer indexes spread evenly over [0, accounts). */
export function loadIndexes(accounts: number, count: number): number[] {
  const n = Math.min(accounts, count);
  return Array.from({ length: n }, (_, k) => Math.floor((k * accounts) / n));
}
