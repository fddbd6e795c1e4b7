/**
 * A job's money on its billing pool: placing the hold at admission, settling it on the actual
 * price when the job completes, releasing it when the job fails or is cancelled. The one place
 * that dispatches by pool; each pool's rules live in its own module (`wallets/holds.ts` for the
 * prepaid wallet). Every function runs in the caller's transaction, and each pool's transfer ids
 * derive from the job id, so a repeated settle or release is a no-op.
 */
import { watchBalance } from '../alerts/balance-watch.ts';
import type { TxContext } from '../context.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import type { JobUsage } from '../jobs/quote.ts';
import { holdCredits, releaseCredits, settleCredits } from '../plans/credit-holds.ts';
import { assert } from '../shared/assert.ts';
import { holdUsage, releaseUsage, settleUsage } from '../usage-based/holds.ts';
import {
  type HeldPart,
  type HoldOutcome,
  holdFunds,
  settleHold,
  voidHold,
  writeOffTransferId,
} from '../wallets/holds.ts';
import type { BillingPool } from './pools.ts';

export type PoolHold = {
  pool: BillingPool;
  account_id: string;
  /** The job id; every transfer id of the hold derives from it. */
  hold_id: string;
  /** The quote's upper bound, in USD (a pool in another unit converts it with its own card). */
  amount_micro_usd: bigint;
  timeout_ms: bigint;
  api_key_id: string | null;
  /** The quote's usage and estimated duration: a pool in another unit prices them on its card. */
  usage: JobUsage;
  estimated_duration_ms: bigint;
};

/** Places the hold for a job being admitted; throws the pool's refusal (e.g. insufficient funds). */
export async function holdOnPool(tx: TxContext, hold: PoolHold): Promise<void> {
  switch (hold.pool) {
    case 'wallet':
      await holdFunds(tx, hold);
      await watchBalance(tx, {
        account_id: hold.account_id,
        spent_micro_usd: hold.amount_micro_usd,
      });
      return;
    case 'web_plan':
      await holdCredits(tx, hold);
      return;
    case 'usage_based':
      return holdUsage(tx, hold);
  }
}

/**
 * What a caller may have read about a job's hold before its transaction (immutable once the
 * admission committed): a wallet hold's parts (`readHeldParts`). Absent: read in the transaction.
 */
export type HoldPrefetch = { wallet_parts?: readonly HeldPart[] };

/**
 * Charges a completed job `charged_micro_usd` (its actual price) from the hold and releases the
 * rest; `expired` when the hold expired first (the job is then not charged).
 */
export async function settleOnPool(
  tx: TxContext,
  job: JobRow,
  charge: { charged_micro_usd: bigint; duration_ms: bigint },
  prefetch: HoldPrefetch = {},
): Promise<HoldOutcome> {
  switch (poolOf(job)) {
    case 'wallet': {
      const outcome = await settleHold(tx, {
        hold_id: job.id,
        amount_micro_usd: charge.charged_micro_usd,
        held: prefetch.wallet_parts,
      });
      if (outcome === 'resolved') {
        const spent_micro_usd = await overrunCollected(tx, job, charge.charged_micro_usd);
        await watchBalance(tx, { account_id: job.account_id, spent_micro_usd });
      }
      return outcome;
    }
    case 'web_plan':
      return settleCredits(tx, job, charge.duration_ms);
    case 'usage_based':
      return settleUsage(tx, job, charge.charged_micro_usd);
  }
}

/** Releases a job's whole hold (a failure or a cancellation); an expired hold is a no-op. */
export async function releaseOnPool(
  tx: TxContext,
  job: JobRow,
  prefetch: HoldPrefetch = {},
): Promise<void> {
  switch (poolOf(job)) {
    case 'wallet':
      await voidHold(tx, { hold_id: job.id, held: prefetch.wallet_parts });
      return;
    case 'web_plan':
      await releaseCredits(tx, job);
      return;
    case 'usage_based':
      return releaseUsage(tx, job);
  }
}

function poolOf(job: Pick<JobRow, 'billing_pool'>): BillingPool {
  const pool = job.billing_pool as BillingPool;
  assert(
    pool === 'wallet' || pool === 'web_plan' || pool === 'usage_based',
    `job billing pool ${job.billing_pool} is known`,
  );
  return pool;
}

/**
 * How much a wallet settlement of `charged` lowered the available balance: the overrun beyond the
 * hold, less what was written off (0 when the charge fit the hold: the settlement released the rest).
 */
async function overrunCollected(tx: TxContext, job: JobRow, charged: bigint): Promise<bigint> {
  if (charged <= job.hold_amount_micro_usd) return 0n;
  const writeOff = await tx.db
    .selectFrom('ledger_transfers')
    .select('amount')
    .where('id', '=', writeOffTransferId(job.id))
    .executeTakeFirst();
  return charged - job.hold_amount_micro_usd - (writeOff?.amount ?? 0n);
}
