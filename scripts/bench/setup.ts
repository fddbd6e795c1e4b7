/**
 * Opening benchmark databases and seeding them through Tollgate's own ledger: the migrations,
 * a cash account, the revenue accounts and the funded wallets. Every phase starts from the same
 * seeded state, so the phases differ only in how they apply the measured transfers.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createAccount } from '../../src/accounts/accounts.ts';
import { loadConfig } from '../../src/config.ts';
import { type AppContext, createContext, withTransaction } from '../../src/context.ts';
import type { Database } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { type AccountInput, createAccounts } from '../../src/ledger/accounts.ts';
import { ACCOUNT_CODES, ACCOUNT_FLAGS, TRANSFER_CODES } from '../../src/ledger/codes.ts';
import { ensureOperatorAccounts } from '../../src/ledger/operator-accounts.ts';
import { type ReconcileReport, reconcileLedger } from '../../src/ledger/reconcile.ts';
import { createTransfers, type TransferInput } from '../../src/ledger/transfers.ts';
import { createSystemClock } from '../../src/shared/clock.ts';
import { createRandomIds } from '../../src/shared/ids.ts';
import { grantFunds } from '../../src/wallets/grants.ts';
import {
  CASH_ACCOUNT_ID,
  revenueId,
  WALLET_COUNT,
  WALLET_FUNDING_MICRO_USD,
  walletId,
} from './workload.ts';

/** SQLite files go on the real disk under the project (./data is git-ignored), never tmpfs. */
export function createBenchDir(): string {
  const parent = join(process.cwd(), 'data');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, 'bench-'));
}

export function createBenchContext(database: Database, url: string): AppContext {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url, TOLLGATE_DEMO: '0' });
  return createContext({ config, database, clock: createSystemClock(), ids: createRandomIds() });
}

/** A fresh PostgreSQL database on the server at `baseUrl`; returns its url. */
export async function createPostgresDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${baseUrl}postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return `${baseUrl}${name}`;
}

const SETUP_CHUNK_SIZE = 8_000;

function accountInputs(shardCount: number): AccountInput[] {
  const usd = { currency: 'usd_micro' as const, owner_id: null };
  const inputs: AccountInput[] = [
    { ...usd, id: CASH_ACCOUNT_ID, code: ACCOUNT_CODES.cash, flags: 0n },
  ];
  for (let shard = 0; shard < shardCount; shard++) {
    inputs.push({ ...usd, id: revenueId(shard), code: ACCOUNT_CODES.revenue, flags: 0n });
  }
  const flags = ACCOUNT_FLAGS.debits_must_not_exceed_credits;
  for (let index = 0; index < WALLET_COUNT; index++) {
    inputs.push({ ...usd, id: walletId(index), code: ACCOUNT_CODES.customer_wallet, flags });
  }
  return inputs;
}

function fundingTransfers(): TransferInput[] {
  const transfers: TransferInput[] = [];
  for (let index = 0; index < WALLET_COUNT; index++) {
    transfers.push({
      id: `bench:fund:${index}`,
      debit_account_id: CASH_ACCOUNT_ID,
      credit_account_id: walletId(index),
      amount: WALLET_FUNDING_MICRO_USD,
      code: TRANSFER_CODES.grant_paid,
    });
  }
  return transfers;
}

/** Migrates, creates the accounts and funds every wallet; throws unless every item is `ok`. */
export async function seedLedger(ctx: AppContext, shardCount: number): Promise<void> {
  await migrateToLatest(ctx.db);
  const accounts = accountInputs(shardCount);
  for (let start = 0; start < accounts.length; start += SETUP_CHUNK_SIZE) {
    const chunk = accounts.slice(start, start + SETUP_CHUNK_SIZE);
    const results = await withTransaction(ctx, (tx) => createAccounts(tx, chunk));
    assertAllOk('seed accounts', results);
  }
  const funding = fundingTransfers();
  for (let start = 0; start < funding.length; start += SETUP_CHUNK_SIZE) {
    const chunk = funding.slice(start, start + SETUP_CHUNK_SIZE);
    const results = await withTransaction(ctx, (tx) => createTransfers(tx, chunk));
    assertAllOk('seed funding', results);
  }
}

const CUSTOMER_CHUNK_SIZE = 500;

/**
 * For phase (d): migrates, creates the operator accounts and `count` customer accounts through
 * `createAccount` (each with its wallet), each funded by a paid `grantFunds`, as the gateway
 * does. Returns the account ids.
 */
export async function seedCustomers(ctx: AppContext, count: number): Promise<string[]> {
  await migrateToLatest(ctx.db);
  await withTransaction(ctx, (tx) => ensureOperatorAccounts(tx));
  const ids: string[] = [];
  for (let start = 0; start < count; start += CUSTOMER_CHUNK_SIZE) {
    const end = Math.min(count, start + CUSTOMER_CHUNK_SIZE);
    // Ids are kept only once the chunk committed: a retried transaction runs it again.
    const chunk = await withTransaction(ctx, async (tx) => {
      const created: string[] = [];
      for (let index = start; index < end; index++) {
        const account = await createAccount(tx, {
          username: `bench-${index}`,
          email: null,
          first_name: null,
          last_name: null,
          existing_avatar_iii_customer: false,
          enterprise: false,
          concurrency_limit: null,
        });
        const grant = { account_id: account.id, kind: 'paid' as const, memo: null };
        await grantFunds(tx, { ...grant, amount_micro_usd: WALLET_FUNDING_MICRO_USD });
        created.push(account.id);
      }
      return created;
    });
    ids.push(...chunk);
  }
  return ids;
}

export function assertAllOk(what: string, results: readonly string[]): void {
  const failed = results.find((result) => result !== 'ok');
  if (failed !== undefined) throw new Error(`${what}: a transfer failed with "${failed}"`);
}

/** Reconciles the ledger and throws with the report's findings unless it is clean. */
export async function reconcileOrThrow(
  database: Pick<Database, 'db'>,
  what: string,
): Promise<ReconcileReport> {
  const report = await reconcileLedger(database.db, { page_size: 1_000 });
  if (!report.ok) {
    const findings = {
      drifts: report.drifts.slice(0, 5),
      unbalanced: report.unbalanced_currencies,
      twice: report.pending_resolved_twice.slice(0, 5),
      overdrafts: report.overdrafts.slice(0, 5),
    };
    const text = JSON.stringify(findings, (_, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    throw new Error(`${what}: the ledger does not reconcile: ${text}`);
  }
  return report;
}
