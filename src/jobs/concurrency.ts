/**
 * The per-account concurrency limit, shared by every product: all of an account's asynchronous
 * jobs in flight (video renders, lipsyncs, translations, agent sessions, avatar trainings) count
 * against its one limit. Admission locks the account's row first, so concurrent admissions of one
 * account (on any gateway node) count slots one at a time. Over the limit is
 * `concurrency_limit_reached` (429 `rate_limit_exceeded` with `Retry-After`).
 */
import { sql } from 'kysely';
import { type Account, toAccount } from '../accounts/accounts.ts';
import type { BillingPool } from '../billing/pools.ts';
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate, whereIdIn } from '../db/dialect.ts';
import { prepareQuery } from '../db/prepared.ts';
import { oauthConcurrencyLimit } from '../plans/subscriptions.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import type { JobErrorCode } from './errors.ts';
import { SLOT_STATUSES } from './lifecycle.ts';

/** Retry-After when every slot is taken by a job whose end is not yet known. */
const LOCK_ACCOUNT = prepareQuery((db, dialect, p: { account_id: string }) =>
  lockRowsForUpdate(dialect, db.selectFrom('accounts').selectAll().where('id', '=', p.account_id)),
);

/** The account's jobs holding a slot, of the web-plan pool (`=`) or of the others (`!=`). */
function slotsTaken(operator: '=' | '!=') {
  return prepareQuery((db, _dialect, p: { account_id: string }) =>
    db
      .selectFrom('jobs')
      .select([
        (eb) => eb.fn.countAll<bigint>().as('count'),
        (eb) => eb.fn.min('ready_at_ms').as('soonest_ms'),
      ])
      .where('account_id', '=', p.account_id)
      .where('status', 'in', SLOT_STATUSES)
      // A child job (a session's video) runs in its parent's slot.
      .where('parent_id', 'is', null)
      .where('billing_pool', operator, 'web_plan'),
  );
}

const WEB_PLAN_SLOTS_TAKEN = slotsTaken('=');
const OTHER_SLOTS_TAKEN = slotsTaken('!=');

/** Several accounts' rows, locked in one statement in id order (batch admission). */
const LOCK_ACCOUNTS = prepareQuery((db, dialect, p: { ids: readonly string[] }) =>
  lockRowsForUpdate(
    dialect,
    db
      .selectFrom('accounts')
      .selectAll()
      .where(whereIdIn(dialect, 'id', p.ids))
      .orderBy('id'),
  ),
);

/** `OTHER_SLOTS_TAKEN` of several accounts, one row per account with a job holding a slot. */
const OTHER_SLOTS_TAKEN_BY_ACCOUNT = prepareQuery(
  (db, dialect, p: { account_ids: readonly string[] }) =>
    db
      .selectFrom('jobs')
      .select([
        'account_id',
        (eb) => eb.fn.countAll<bigint>().as('count'),
        (eb) => eb.fn.min('ready_at_ms').as('soonest_ms'),
      ])
      .where(whereIdIn(dialect, 'account_id', p.account_ids))
      .where('status', 'in', SLOT_STATUSES)
      // `parent_id is null` written so no index can serve it: given it as an equality, SQLite's
      // planner (no statistics) read every top-level job through `jobs_parent_created` instead
      // of the accounts' jobs through `jobs_account_status` (measured: 4.4M jobs, no admission
      // answered). Parent ids are never empty.
      .where(sql`coalesce(${sql.ref('parent_id')}, '')`, '=', '')
      .where('billing_pool', '!=', 'web_plan')
      .groupBy('account_id'),
);

/** An account's jobs holding a slot: how many, and the soonest one due (for Retry-After). */
export type SlotsInFlight = { count: bigint; soonest_ms: bigint | null };

const RETRY_AFTER_S_DEFAULT = 5;
const RETRY_AFTER_S_MAX = 60;

/** Locks the account's row so concurrent admissions of one account count slots one at a time. */
export async function lockAccount(tx: TxContext, account_id: string): Promise<Account> {
  const row = await LOCK_ACCOUNT.first(tx.db, { account_id });
  assert(row !== undefined, `an authenticated account ${account_id} exists`);
  return toAccount(row, tx.config.limits.concurrent_jobs_default);
}

/**
 * Locks several accounts' rows (step 2 of the lock order in `ledger/locks.ts`) in ONE statement,
 * in id order, so a batch of admissions takes them as one admission takes its one row.
 */
export async function lockAccountsForAdmission(
  tx: TxContext,
  account_ids: readonly string[],
): Promise<Map<string, Account>> {
  const found = new Map<string, Account>();
  const ids = [...new Set(account_ids)].sort();
  for (const row of await LOCK_ACCOUNTS.execute(tx.db, { ids })) {
    found.set(row.id, toAccount(row, tx.config.limits.concurrent_jobs_default));
  }
  for (const id of ids) assert(found.has(id), `an authenticated account ${id} exists`);
  return found;
}

/**
 * The slots in use of several accounts' API-key traffic (every pool but `web_plan`), read in one
 * statement; call it after locking the accounts' rows.
 */
export async function otherSlotsInFlight(
  tx: TxContext,
  account_ids: readonly string[],
): Promise<Map<string, SlotsInFlight>> {
  const found = new Map<string, SlotsInFlight>();
  for (const id of account_ids) found.set(id, { count: 0n, soonest_ms: null });
  if (account_ids.length === 0) return found;
  const rows = await OTHER_SLOTS_TAKEN_BY_ACCOUNT.execute(tx.db, { account_ids });
  for (const row of rows) {
    found.set(row.account_id, { count: BigInt(row.count), soonest_ms: row.soonest_ms });
  }
  return found;
}

/**
 * Throws `concurrency_limit_reached` (with `retry_after_s`) when every slot is in use. OAuth
 * traffic (the `web_plan` pool) has its own, lower limit, its plan's `oauth_concurrency_limit`,
 * counted over the account's web-plan jobs; API-key traffic counts every other job against the
 * account's limit.
 */
export async function claimSlot(tx: TxContext, account: Account, pool: BillingPool): Promise<void> {
  const webPlan = pool === 'web_plan';
  const limit = webPlan ? await oauthConcurrencyLimit(tx, account.id) : account.concurrency_limit;
  const slots = webPlan ? WEB_PLAN_SLOTS_TAKEN : OTHER_SLOTS_TAKEN;
  const inFlight = await slots.first(tx.db, { account_id: account.id });
  assert(inFlight !== undefined, 'an aggregate returns one row');
  const refusal = slotRefusal(limit, inFlight, tx.clock.now_ms());
  if (refusal !== null) throw refusal;
}

/** `concurrency_limit_reached` when `in_flight` fills `limit`, else null. */
export function slotRefusal(
  limit: number,
  inFlight: { count: bigint | number | string; soonest_ms: bigint | null },
  now_ms: bigint,
): DomainError<JobErrorCode> | null {
  if (BigInt(inFlight.count) < BigInt(limit)) return null;
  return new DomainError<JobErrorCode>(
    'concurrency_limit_reached',
    `Too many requests: ${limit} jobs (videos, lipsyncs, …) are already in ` +
      'progress, the most this account may run at once. Retry after the duration specified in ' +
      'the Retry-After header.',
    {
      details: {
        concurrency_limit: limit,
        retry_after_s: retryAfterS(now_ms, inFlight.soonest_ms),
      },
    },
  );
}

/** Seconds until the soonest job in flight is due, within [1, 60]; a default when none is. */
function retryAfterS(now_ms: bigint, soonest_ms: bigint | null): number {
  if (soonest_ms === null) return RETRY_AFTER_S_DEFAULT;
  const seconds = Number((soonest_ms - now_ms + 999n) / 1000n);
  return Math.min(RETRY_AFTER_S_MAX, Math.max(1, seconds));
}
