/**
 * A job's hold on a usage-based (postpaid) account. Admission checks the account's spending cap
 * for the current period of its time zone: the period's posted charges, plus the holds of jobs in
 * flight, plus this hold, may not exceed the cap (`spending_cap_exceeded`, 402, naming
 * `spending_cap_usd`). The caller (`admitJob`) holds the account's row lock, so concurrent
 * admissions of one account check and hold one at a time and cannot pass the cap together.
 * The hold is one pending transfer from the account's receivable to revenue; settling posts the
 * actual price (above the hold too: postpaid usage is charged as it ran, so an overrun may take
 * the spending a little past the cap), voiding releases it. Transfer ids derive from the job id,
 * so a repeated settle or void is an idempotent no-op and a hold resolves at most once.
 */
import type { TxContext } from '../context.ts';
import type { JobRow } from '../jobs/jobs.table.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import type { CreateTransferResult } from '../ledger/errors.ts';
import { revenueAccountIdFor } from '../ledger/operator-accounts.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { formatMicroUsd, formatUsdForHumans, isValidAmountMicroUsd } from '../shared/money.ts';
import type { WalletErrorCode } from '../wallets/errors.ts';
import { noteSpending } from './cap-event.ts';
import type { UsageBasedErrorCode } from './errors.ts';
import { receivableAccountId } from './receivable.ts';
import { currentPeriod, periodSpending, readCapSettings } from './spending.ts';

const holdTransferId = (job_id: string) => `${job_id}:usage_hold`;
const resolveTransferId = (job_id: string) => `${job_id}:usage_resolve`;

export type UsageHold = {
  account_id: string;
  /** The job id; the hold's transfer ids derive from it. */
  hold_id: string;
  amount_micro_usd: bigint;
  timeout_ms: bigint;
};

/** Places the hold, or throws `spending_cap_exceeded`; the account's row must be locked. */
export async function holdUsage(tx: TxContext, hold: UsageHold): Promise<void> {
  assert(isValidAmountMicroUsd(hold.amount_micro_usd), 'a hold amount must be valid');
  const settings = await readCapSettings(tx.db, hold.account_id);
  const period = currentPeriod(settings, tx.clock.now_ms());
  const spending = await periodSpending(tx.db, { account_id: hold.account_id, period });
  const before = spending.charged_micro_usd + spending.held_micro_usd;
  const cap = settings.spending_cap_micro_usd;
  if (cap !== null && before + hold.amount_micro_usd > cap) {
    throw new DomainError<UsageBasedErrorCode>(
      'spending_cap_exceeded',
      `This job requires ${formatUsdForHumans(hold.amount_micro_usd)}, which would take this ` +
        `period's spending (${formatUsdForHumans(before)}, including jobs in progress) past the ` +
        `account's spending cap of ${formatUsdForHumans(cap)}.`,
      {
        param: 'spending_cap_usd',
        details: {
          period: period.key,
          spending_cap_usd: formatMicroUsd(cap),
          spending_cap_micro_usd: cap,
          spending_current_micro_usd: spending.charged_micro_usd,
          held_micro_usd: spending.held_micro_usd,
          required_micro_usd: hold.amount_micro_usd,
        },
      },
    );
  }
  const [result] = await createTransfers(tx, [
    {
      id: holdTransferId(hold.hold_id),
      debit_account_id: receivableAccountId(hold.account_id),
      credit_account_id: revenueFor(tx, hold.account_id),
      amount: hold.amount_micro_usd,
      flags: TRANSFER_FLAGS.pending,
      timeout_ms: hold.timeout_ms,
      code: TRANSFER_CODES.hold,
      reference: hold.hold_id,
    },
  ]);
  assert(result === 'ok', `usage hold ${hold.hold_id} failed: ${result}`);
  await noteSpending(tx, {
    settings,
    period,
    spending_micro_usd: before + hold.amount_micro_usd,
  });
}

/**
 * Charges a completed job `charged_micro_usd` (its actual price; 0 releases everything) and
 * releases the rest of the hold. `expired` (nothing charged) when the hold expired first.
 */
export async function settleUsage(
  tx: TxContext,
  job: JobRow,
  charged_micro_usd: bigint,
): Promise<'resolved' | 'expired'> {
  assert(charged_micro_usd >= 0n, 'a settle amount is never negative');
  const overrun = charged_micro_usd > job.hold_amount_micro_usd ? TRANSFER_FLAGS.overrun : 0n;
  const [result] = await createTransfers(tx, [
    {
      id: resolveTransferId(job.id),
      pending_id: holdTransferId(job.id),
      amount: charged_micro_usd,
      flags:
        charged_micro_usd > 0n
          ? TRANSFER_FLAGS.post_pending | overrun
          : TRANSFER_FLAGS.void_pending,
      code: charged_micro_usd > 0n ? TRANSFER_CODES.settle : TRANSFER_CODES.release,
      reference: job.id,
    },
  ]);
  const outcome = outcomeOf(job.id, result);
  if (outcome === 'resolved' && overrun !== 0n) await noteSettledSpending(tx, job.account_id);
  return outcome;
}

/** Releases a job's whole hold; idempotent, and a no-op for an expired hold. */
export async function releaseUsage(tx: TxContext, job: JobRow): Promise<void> {
  const [result] = await createTransfers(tx, [
    {
      id: resolveTransferId(job.id),
      pending_id: holdTransferId(job.id),
      amount: 0n,
      flags: TRANSFER_FLAGS.void_pending,
      code: TRANSFER_CODES.release,
      reference: job.id,
    },
  ]);
  outcomeOf(job.id, result);
}

function outcomeOf(job_id: string, result: CreateTransferResult | undefined) {
  if (result === 'ok' || result === 'exists') return 'resolved';
  if (result === 'pending_transfer_expired') return 'expired';
  if (
    result === 'pending_transfer_already_posted' ||
    result === 'pending_transfer_already_voided' ||
    result?.startsWith('exists_with_different_') === true
  ) {
    throw new DomainError<WalletErrorCode>(
      'hold_already_resolved',
      `The hold of ${job_id} was already resolved.`,
    );
  }
  assert(false, `resolving usage hold ${job_id} failed: ${result}`);
}

/** An overrun can take the spending to the cap's threshold after admission: check it again. */
async function noteSettledSpending(tx: TxContext, account_id: string): Promise<void> {
  const settings = await readCapSettings(tx.db, account_id);
  if (settings.spending_cap_micro_usd === null) return;
  const period = currentPeriod(settings, tx.clock.now_ms());
  const spending = await periodSpending(tx.db, { account_id, period });
  await noteSpending(tx, {
    settings,
    period,
    spending_micro_usd: spending.charged_micro_usd + spending.held_micro_usd,
  });
}

function revenueFor(tx: TxContext, account_id: string): string {
  return revenueAccountIdFor('usd_micro', account_id, tx.config.limits.revenue_shard_count);
}
