/**
 * Refunding a usage-based (postpaid) job's charge, whole or part: the refund reduces what the
 * account owes. It is one `refund` ledger transfer from the revenue account the charge went to
 * back to the account's receivable (`usage:<account>:receivable`), with the job id as reference,
 * plus a `wallet_adjustments` row (type `refund`, no grant) and its `adjustment.applied` event.
 * No wallet grant is opened: a postpaid account never spends a wallet for API-key usage.
 *
 * Guarantees, the same as a wallet refund's: never more than the job was charged minus what was
 * refunded of it already (`refund_exceeds_charge`); the caller (`wallets/refunds.ts` `refundJob`)
 * holds the job's row lock, so two concurrent refunds of one job check one at a time; a replay
 * with the same `Idempotency-Key` returns the first answer (the HTTP edge). The refund lands in
 * the period it is made in: the statement of that month shows it as a negative line, and the
 * spending that month's cap counts is reduced by it (`spending.ts`), whatever month the charge
 * was in.
 */
import type { TxContext } from '../context.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { formatUsdForHumans } from '../shared/money.ts';
import { type AdjustmentBy, recordAdjustment } from '../wallets/adjustments.ts';
import type { WalletErrorCode } from '../wallets/errors.ts';
import type { WalletAdjustmentRow } from '../wallets/wallets.table.ts';
import { receivableAccountId } from './receivable.ts';

export type UsageJobCharge = {
  charged_micro_usd: bigint;
  refunded_micro_usd: bigint;
  /** The revenue account the charge was credited to (null: the job was never charged). */
  revenue_account_id: string | null;
};

/** What a usage-based job was charged to its receivable, and refunded of it, from the ledger. */
export async function usageJobCharge(
  tx: TxContext,
  job: { id: string; account_id: string },
): Promise<UsageJobCharge> {
  const receivable = receivableAccountId(job.account_id);
  const rows = await tx.db
    .selectFrom('ledger_transfers')
    .select(['code', 'amount', 'debit_account_id', 'credit_account_id'])
    .where('reference', '=', job.id)
    .where('code', 'in', [TRANSFER_CODES.settle, TRANSFER_CODES.refund])
    .where((eb) =>
      eb.or([eb('debit_account_id', '=', receivable), eb('credit_account_id', '=', receivable)]),
    )
    .execute();
  const charge: UsageJobCharge = {
    charged_micro_usd: 0n,
    refunded_micro_usd: 0n,
    revenue_account_id: null,
  };
  for (const row of rows) {
    if (row.code === TRANSFER_CODES.settle && row.debit_account_id === receivable) {
      charge.charged_micro_usd += row.amount;
      charge.revenue_account_id = row.credit_account_id;
    } else if (row.code === TRANSFER_CODES.refund && row.credit_account_id === receivable) {
      charge.refunded_micro_usd += row.amount;
    }
  }
  return charge;
}

/**
 * Refunds `amount_micro_usd` of a usage-based job's charge (null: all that is left). The job's
 * row must be locked by the caller. `refund_exceeds_charge` when more is asked than is left.
 */
export async function refundUsageCharge(
  tx: TxContext,
  input: {
    job: { id: string; account_id: string };
    amount_micro_usd: bigint | null;
  } & AdjustmentBy,
): Promise<WalletAdjustmentRow> {
  const { job } = input;
  const charge = await usageJobCharge(tx, job);
  const left = charge.charged_micro_usd - charge.refunded_micro_usd;
  const amount = input.amount_micro_usd ?? left;
  if (amount <= 0n || amount > left || charge.revenue_account_id === null) {
    throw new DomainError<WalletErrorCode>(
      'refund_exceeds_charge',
      `Job ${job.id} was charged ${formatUsdForHumans(charge.charged_micro_usd)} and ` +
        `${formatUsdForHumans(charge.refunded_micro_usd)} of it was refunded already; at most ` +
        `${formatUsdForHumans(left)} can be refunded.`,
      {
        param: 'amount_usd',
        details: {
          charged_micro_usd: charge.charged_micro_usd,
          refunded_micro_usd: charge.refunded_micro_usd,
        },
      },
    );
  }
  const id = tx.ids.newId('adj');
  const [result] = await createTransfers(tx, [
    {
      id: `${id}:refund`,
      debit_account_id: charge.revenue_account_id,
      credit_account_id: receivableAccountId(job.account_id),
      amount,
      code: TRANSFER_CODES.refund,
      reference: job.id,
    },
  ]);
  assert(result === 'ok', `refunding usage job ${job.id} under its lock: ${result}`);
  return recordAdjustment(tx, {
    id,
    account_id: job.account_id,
    type: 'refund',
    amount_micro_usd: amount,
    memo: input.memo,
    reference: job.id,
    operator: input.operator,
    grant_id: null,
  });
}
