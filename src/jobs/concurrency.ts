/**
 * The per-account concurrency limit, shared by every product: all of an account's asynchronous
 * jobs in flight (video renders, lipsyncs, translations, agent sessions, avatar trainings) count
 * against its one limit. Admission locks the account's row first, so concurrent admissions of one
 * account (on any gateway node) count slots one at a time. Over the limit is
 * `concurrency_limit_reached` (429 `rate_limit_exceeded` with `Retry-After`).
 */
import { type Account, toAccount } from '../accounts/accounts.ts';
import type { BillingPool } from '../billing/pools.ts';
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { oauthConcurrencyLimit } from '../plans/subscriptions.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import type { JobErrorCode } from './errors.ts';
import { SLOT_STATUSES } from './lifecycle.ts';

/** Retry-After when every slot is taken by a job whose end is not yet known. */
const RETRY_AFTER_S_DEFAULT = 5;
const RETRY_AFTER_S_MAX = 60;

/** Locks the account's row so concurrent admissions of one account count slots one at a time. */
export async function lockAccount(tx: TxContext, account_id: string): Promise<Account> {
  const query = tx.db.selectFrom('accounts').selectAll().where('id', '=', account_id);
  const row = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  assert(row !== undefined, `an authenticated account ${account_id} exists`);
  return toAccount(row, tx.config.limits.concurrent_jobs_default);
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
  const inFlight = await tx.db
    .selectFrom('jobs')
    .select([
      (eb) => eb.fn.countAll<bigint>().as('count'),
      (eb) => eb.fn.min('ready_at_ms').as('soonest_ms'),
    ])
    .where('account_id', '=', account.id)
    .where('status', 'in', SLOT_STATUSES)
    // A child job (a session's video) runs in its parent's slot.
    .where('parent_id', 'is', null)
    .where('billing_pool', webPlan ? '=' : '!=', 'web_plan')
    .executeTakeFirstOrThrow();
  if (BigInt(inFlight.count) < BigInt(limit)) return;
  throw new DomainError<JobErrorCode>(
    'concurrency_limit_reached',
    `Too many requests: ${limit} jobs (videos, lipsyncs, …) are already in ` +
      'progress, the most this account may run at once. Retry after the duration specified in ' +
      'the Retry-After header.',
    {
      details: {
        concurrency_limit: limit,
        retry_after_s: retryAfterS(tx.clock.now_ms(), inFlight.soonest_ms),
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
