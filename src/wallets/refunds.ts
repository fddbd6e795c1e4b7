/**
 * Refunding a job's charge, whole or part. What a job was charged is read from the ledger: its
 * settlement transfers (reference: the job id) minus the write-off credited back for it; earlier
 * refunds of it are the `refund` transfers with the same reference. A refund never exceeds the
 * charge minus earlier refunds (`refund_exceeds_charge`), and the job's row is locked first (lock
 * order step 1) so two concurrent refunds of one job cannot both pass that check.
 *
 * Where the money goes: into NEW grants, credited from the revenue shard the charge went to, one
 * per kind: paid money first, up to what the job drew from paid grants (minus paid refunds
 * before), then promotional. Not back into the grants the job drew from: those may have expired
 * or closed since, and a closed grant is off the hot path for good. A refund grant has no expiry,
 * priority 0, source `operator` and the operator's memo; the history shows it as `refund` with the
 * job id as reference.
 *
 * A usage-based job was charged to the account's receivable, not a wallet: its refund reduces
 * what the account owes instead (`usage-based/refunds.ts`), opens no grant, and leaves the wallet
 * as it was. A web-plan job charged no USD (`refund_exceeds_charge`).
 */
import type { TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { JobErrorCode } from '../jobs/errors.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { revenueAccountIdFor } from '../ledger/operator-accounts.ts';
import { DomainError } from '../shared/errors.ts';
import { formatUsdForHumans } from '../shared/money.ts';
import { refundUsageCharge } from '../usage-based/refunds.ts';
import { type AdjustmentBy, type AdjustmentResult, recordAdjustment } from './adjustments.ts';
import { getWalletBalance } from './balance.ts';
import type { WalletErrorCode } from './errors.ts';
import { openGrant } from './grants.ts';
import { kindOfWalletAccount, type WalletKind } from './wallet-accounts.ts';
import type { GrantRow } from './wallets.table.ts';

export type JobCharge = {
  charged_micro_usd: bigint;
  refunded_micro_usd: bigint;
  /** Charged minus refunded, per kind of money the job drew. */
  refundable_by_kind_micro_usd: Record<WalletKind, bigint>;
};

/** What a job was charged and refunded, per kind, from its ledger transfers. */
export async function jobCharge(tx: TxContext, job_id: string): Promise<JobCharge> {
  const rows = await tx.db
    .selectFrom('ledger_transfers')
    .select(['code', 'amount', 'debit_account_id', 'credit_account_id'])
    .where('reference', '=', job_id)
    // USD only: a web-plan job's credits are settled in `credit_milli` and are not the wallet's.
    .where('currency', '=', 'usd_micro')
    .where('code', 'in', [TRANSFER_CODES.settle, TRANSFER_CODES.write_off, TRANSFER_CODES.refund])
    .execute();
  const byKind: Record<WalletKind, bigint> = { promotional: 0n, paid: 0n };
  let charged = 0n;
  let refunded = 0n;
  for (const row of rows) {
    if (row.code === TRANSFER_CODES.settle) {
      charged += row.amount;
      byKind[kindOfWalletAccount(row.debit_account_id) ?? 'paid'] += row.amount;
    } else {
      // A write-off or a refund credits the wallet back.
      if (row.code === TRANSFER_CODES.write_off) charged -= row.amount;
      else refunded += row.amount;
      byKind[kindOfWalletAccount(row.credit_account_id) ?? 'paid'] -= row.amount;
    }
  }
  return {
    charged_micro_usd: charged,
    refunded_micro_usd: refunded,
    refundable_by_kind_micro_usd: byKind,
  };
}

export type RefundResult = AdjustmentResult & { grants: GrantRow[]; job_id: string };

/**
 * Refunds `amount_micro_usd` of a job's charge (null: all that is left). `job_not_found`,
 * `refund_exceeds_charge` (with the charged and refunded amounts) when more is asked than is left.
 */
export async function refundJob(
  tx: TxContext,
  input: { job_id: string; amount_micro_usd: bigint | null } & AdjustmentBy,
): Promise<RefundResult> {
  const query = tx.db
    .selectFrom('jobs')
    .select(['id', 'account_id', 'billing_pool'])
    .where('id', '=', input.job_id);
  const job = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (job === undefined) {
    throw new DomainError<JobErrorCode>('job_not_found', `No job ${input.job_id}.`, {
      param: 'job_id',
    });
  }
  if (job.billing_pool === 'usage_based') {
    const adjustment = await refundUsageCharge(tx, { ...input, job });
    const balance = await getWalletBalance(tx.db, job.account_id, tx.clock.now_ms());
    return { adjustment, balance, grants: [], job_id: job.id };
  }
  const charge = await jobCharge(tx, job.id);
  const left = charge.charged_micro_usd - charge.refunded_micro_usd;
  const amount = input.amount_micro_usd ?? left;
  if (amount <= 0n || amount > left) {
    throw new DomainError<WalletErrorCode>(
      'refund_exceeds_charge',
      `Job ${job.id} was charged ${formatUsdForHumans(charge.charged_micro_usd)} and ${formatUsdForHumans(charge.refunded_micro_usd)} of it was refunded already; at most ${formatUsdForHumans(left)} can be refunded.`,
      {
        param: 'amount_usd',
        details: {
          charged_micro_usd: charge.charged_micro_usd,
          refunded_micro_usd: charge.refunded_micro_usd,
        },
      },
    );
  }
  const revenue = revenueAccountIdFor(
    'usd_micro',
    job.account_id,
    tx.config.limits.revenue_shard_count,
  );
  const paid = charge.refundable_by_kind_micro_usd.paid;
  let toPaid = paid > 0n ? paid : 0n;
  if (amount < toPaid) toPaid = amount;
  const parts: Array<[WalletKind, bigint]> = [
    ['paid', toPaid],
    ['promotional', amount - toPaid],
  ];
  const grants: GrantRow[] = [];
  for (const [kind, part] of parts) {
    if (part <= 0n) continue;
    grants.push(
      await openGrant(
        tx,
        { account_id: job.account_id, kind, amount_micro_usd: part, memo: input.memo },
        { debit_account_id: revenue, code: TRANSFER_CODES.refund, reference: job.id },
      ),
    );
  }
  const adjustment = await recordAdjustment(tx, {
    id: tx.ids.newId('adj'),
    account_id: job.account_id,
    type: 'refund',
    amount_micro_usd: amount,
    memo: input.memo,
    reference: job.id,
    operator: input.operator,
    grant_id: grants[0]!.id,
  });
  const balance = await getWalletBalance(tx.db, job.account_id, tx.clock.now_ms());
  return { adjustment, balance, grants, job_id: job.id };
}
