/**
 * `debitWallet`: money taken out of a wallet outside a job (a payment refunded or lost in a
 * dispute, an operator's debit). It takes what the grants have free, paid money first
 * (`draw-order.ts`, `inDebitOrder`: a debit reverses money paid in), and whatever they do not
 * have from the wallet's debt account, which may go below zero; the wallet's available balance
 * is then negative and admission refuses new jobs until it is funded again. Held amounts are
 * never taken: a job in flight keeps what it reserved. One linked chain of ledger transfers,
 * each with the debit's id as reference, into cash for a payment's reversal (undoing the
 * top-up's transfer) or into the operator's adjustments account; plus a `wallet_adjustments` row
 * with the memo, reason, reference and operator. Passing `id` makes a retry a no-op that returns
 * the first result.
 */
import type { TxContext } from '../context.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import { adjustmentsAccountId, cashAccountId } from '../ledger/operator-accounts.ts';
import { createTransfers, type TransferInput } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { isValidAmountMicroUsd } from '../shared/money.ts';
import { getWalletBalance, type WalletBalance } from './balance.ts';
import { drawFrom, inDebitOrder } from './draw-order.ts';
import type { WalletErrorCode } from './errors.ts';
import { closeSpentGrants } from './grant-closing.ts';
import { debtAccountId } from './wallet-accounts.ts';
import { lockWallet } from './wallet-parts.ts';
import type { WalletAdjustmentRow } from './wallets.table.ts';

const DEBIT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

/** Why money leaves the wallet: a payment's reversal, or an operator's decision. */
export type DebitReason = 'payment_refund' | 'payment_dispute' | 'operator';

export type WalletDebit = {
  account_id: string;
  amount_micro_usd: bigint;
  memo: string | null;
  reason: DebitReason;
  /** What the debit is about (e.g. the top-up id); at most 128 characters. */
  reference: string | null;
  /** Who decided it (operator debits). */
  operator?: string | null;
  /**
   * A stable id (1–100 characters of `[A-Za-z0-9_.-]`) for a debit that may be retried: the same
   * id debits once. Default: a new id.
   */
  id?: string;
};

export type DebitResult = {
  /** The debit's id: the reference of its transfers and the id of its adjustment record. */
  debit_id: string;
  /** The ledger transfer ids, in order; the first is `transfer_id`. */
  transfer_id: string;
  transfer_ids: string[];
  /** How much came from the debt account (beyond what the grants had free). */
  overdrawn_micro_usd: bigint;
  balance: WalletBalance;
};

/** Debits the wallet, below zero if need be. Requires a transaction. The account must exist. */
export async function debitWallet(tx: TxContext, input: WalletDebit): Promise<DebitResult> {
  if (!isValidAmountMicroUsd(input.amount_micro_usd)) {
    throw new DomainError<WalletErrorCode>(
      'amount_invalid',
      'Debit amount must be positive and at most $1,000,000,000.',
      { param: 'amount_usd' },
    );
  }
  assert(input.id === undefined || DEBIT_ID_PATTERN.test(input.id), 'a debit id is well formed');
  const now_ms = tx.clock.now_ms();
  const wallet = await lockWallet(tx, input.account_id);
  const debit_id = input.id ?? tx.ids.newId('debit');
  const prior = await tx.db
    .selectFrom('wallet_adjustments')
    .selectAll()
    .where('id', '=', debit_id)
    .executeTakeFirst();
  if (prior !== undefined) return priorResult(tx, prior, input);
  const { draws, untaken } = drawFrom(inDebitOrder(wallet.parts), input.amount_micro_usd, now_ms);
  const counter =
    input.reason === 'operator' ? adjustmentsAccountId('usd_micro') : cashAccountId('usd_micro');
  const legs = draws.map((draw) => ({ account: draw.part.id, amount: draw.amount }));
  if (untaken > 0n) legs.push({ account: debtAccountId(input.account_id), amount: untaken });
  const transfers: TransferInput[] = legs.map((leg, index) => ({
    id: `${debit_id}:${index}`,
    debit_account_id: leg.account,
    credit_account_id: counter,
    amount: leg.amount,
    flags: index < legs.length - 1 ? TRANSFER_FLAGS.linked : 0n,
    code: TRANSFER_CODES.wallet_debit,
    reference: debit_id,
  }));
  const results = await createTransfers(tx, transfers);
  assert(
    results.every((r) => r === 'ok'),
    `debit ${debit_id} failed after the balance read: ${results.join(',')}`,
  );
  await tx.db
    .insertInto('wallet_adjustments')
    .values({
      id: debit_id,
      account_id: input.account_id,
      type: 'debit',
      amount_micro_usd: input.amount_micro_usd,
      memo: input.memo,
      reason: input.reason,
      reference: input.reference,
      operator: input.operator ?? null,
      grant_id: null,
      created_at_ms: now_ms,
    })
    .execute();
  await closeSpentGrants(
    tx,
    draws.map((draw) => draw.part.id),
  );
  return {
    debit_id,
    transfer_id: transfers[0]!.id,
    transfer_ids: transfers.map((t) => t.id),
    overdrawn_micro_usd: untaken,
    balance: await getWalletBalance(tx.db, input.account_id, now_ms),
  };
}

/** A debit retried with its id: the first result (the same account and amount, or an error). */
async function priorResult(
  tx: TxContext,
  prior: WalletAdjustmentRow,
  input: WalletDebit,
): Promise<DebitResult> {
  assert(
    prior.type === 'debit' &&
      prior.account_id === input.account_id &&
      prior.amount_micro_usd === input.amount_micro_usd,
    `debit ${prior.id} retried with a different account or amount`,
  );
  const transfers = await tx.db
    .selectFrom('ledger_transfers')
    .select(['id', 'debit_account_id', 'amount'])
    .where('reference', '=', prior.id)
    .where('code', '=', TRANSFER_CODES.wallet_debit)
    .execute();
  const legOf = (id: string) => Number(id.slice(prior.id.length + 1));
  transfers.sort((a, b) => legOf(a.id) - legOf(b.id));
  const debt = debtAccountId(prior.account_id);
  return {
    debit_id: prior.id,
    transfer_id: transfers[0]!.id,
    transfer_ids: transfers.map((t) => t.id),
    overdrawn_micro_usd: transfers
      .filter((t) => t.debit_account_id === debt)
      .reduce((sum, t) => sum + t.amount, 0n),
    balance: await getWalletBalance(tx.db, prior.account_id, tx.clock.now_ms()),
  };
}
