/**
 * Operator adjustments of a wallet (issue 13, item 5). Each is ledger transfers plus a
 * `wallet_adjustments` row with the operator and the memo, and an `adjustment.applied` event, all
 * in the caller's transaction (the HTTP edge wraps it in `idempotentWrite`):
 * - credit: a new grant (source `operator` or `promotion`) with its terms;
 * - debit: `debitWallet` with reason `operator` (may take the wallet below zero);
 * - refund of a job's charge, whole or part (`refunds.ts`);
 * - revoke: the unspent part of a grant, reversed into the account that funded it (cash,
 *   promotions or revenue): only what is free; held parts stay and, once their jobs resolve,
 *   what returns can be revoked again. A grant from before grant terms shares its pool, so its
 *   revocation takes from the pool at most what the grant gave, minus earlier revocations.
 * A debit and a revocation lower the available balance like a job's charge does, so both call
 * the balance watch (`watchBalance`: low-balance alert, auto-reload) in the same transaction.
 */
import { watchBalance } from '../alerts/balance-watch.ts';
import type { TxContext } from '../context.ts';
import { recordEvent } from '../events/events.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { lockAccounts } from '../ledger/locks.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { formatMicroUsd } from '../shared/money.ts';
import { getWalletBalance, type WalletBalance } from './balance.ts';
import { debitWallet } from './debit.ts';
import type { WalletErrorCode } from './errors.ts';
import { closeSpentGrants } from './grant-closing.ts';
import { type GrantResult, grantToAccount, type NewGrant } from './grants.ts';
import { availableOf } from './wallet-parts.ts';
import type { GrantRow, WalletAdjustmentRow } from './wallets.table.ts';

export type AdjustmentType = 'credit' | 'debit' | 'refund' | 'revoke';

/** Who made an adjustment and why. */
export type AdjustmentBy = { operator: string; memo: string };

export type AdjustmentResult = { adjustment: WalletAdjustmentRow; balance: WalletBalance };

/** Records the adjustment row and its `adjustment.applied` event. */
export async function recordAdjustment(
  tx: TxContext,
  row: Omit<WalletAdjustmentRow, 'created_at_ms' | 'reason'> & { reason?: string },
): Promise<WalletAdjustmentRow> {
  const adjustment: WalletAdjustmentRow = {
    ...row,
    reason: row.reason ?? 'operator',
    created_at_ms: tx.clock.now_ms(),
  };
  await tx.db.insertInto('wallet_adjustments').values(adjustment).execute();
  await recordEvent(tx, {
    type: 'adjustment.applied',
    account_id: adjustment.account_id,
    payload: {
      adjustment_id: adjustment.id,
      type: adjustment.type,
      amount_micro_usd: adjustment.amount_micro_usd,
      amount_usd: formatMicroUsd(adjustment.amount_micro_usd),
      memo: adjustment.memo,
      operator: adjustment.operator,
      reference: adjustment.reference,
      grant_id: adjustment.grant_id,
    },
  });
  return adjustment;
}

/** An operator's credit: a new grant with the operator's memo. */
export async function creditWallet(
  tx: TxContext,
  input: NewGrant & { operator: string },
): Promise<GrantResult & { adjustment: WalletAdjustmentRow }> {
  const { operator, ...grant } = input;
  const result = await grantToAccount(tx, grant);
  const adjustment = await recordAdjustment(tx, {
    id: tx.ids.newId('adj'),
    account_id: input.account_id,
    type: 'credit',
    amount_micro_usd: input.amount_micro_usd,
    memo: input.memo,
    reference: result.grant.id,
    operator,
    grant_id: result.grant.id,
  });
  return { ...result, adjustment };
}

/** An operator's debit (`debitWallet`, reason `operator`); may take the wallet below zero. */
export async function debitByOperator(
  tx: TxContext,
  input: { account_id: string; amount_micro_usd: bigint } & AdjustmentBy,
): Promise<AdjustmentResult> {
  const id = tx.ids.newId('adj');
  const debit = await debitWallet(tx, {
    id,
    account_id: input.account_id,
    amount_micro_usd: input.amount_micro_usd,
    memo: input.memo,
    reason: 'operator',
    reference: null,
    operator: input.operator,
  });
  const adjustment = await tx.db
    .selectFrom('wallet_adjustments')
    .selectAll()
    .where('id', '=', debit.debit_id)
    .executeTakeFirstOrThrow();
  await recordEvent(tx, {
    type: 'adjustment.applied',
    account_id: input.account_id,
    payload: {
      adjustment_id: adjustment.id,
      type: 'debit',
      amount_micro_usd: adjustment.amount_micro_usd,
      amount_usd: formatMicroUsd(adjustment.amount_micro_usd),
      memo: adjustment.memo,
      operator: adjustment.operator,
      reference: null,
      grant_id: null,
      overdrawn_micro_usd: debit.overdrawn_micro_usd,
    },
  });
  await watchBalance(tx, { account_id: input.account_id, spent_micro_usd: input.amount_micro_usd });
  return { adjustment, balance: debit.balance };
}

export async function getGrant(tx: TxContext, grant_id: string): Promise<GrantRow> {
  const grant = await tx.db
    .selectFrom('grants')
    .selectAll()
    .where('id', '=', grant_id)
    .executeTakeFirst();
  if (grant === undefined) {
    throw new DomainError<WalletErrorCode>('grant_not_found', `No grant ${grant_id}.`, {
      param: 'grant_id',
    });
  }
  return grant;
}

export type RevokeResult = AdjustmentResult & {
  grant: GrantRow;
  /** What was revoked now (0 when nothing was free). */
  revoked_micro_usd: bigint;
  /** What stays held by jobs in flight; revoke again once they resolve. */
  held_micro_usd: bigint;
};

/**
 * Revokes what a grant has free now. Locks the grant's ledger account (lock order step 3).
 * Revoking a grant with nothing free records nothing and reports 0.
 */
export async function revokeGrant(
  tx: TxContext,
  input: { grant_id: string } & AdjustmentBy,
): Promise<RevokeResult | (Omit<RevokeResult, 'adjustment'> & { adjustment: null })> {
  const grant = await getGrant(tx, input.grant_id);
  const accounts = await lockAccounts(tx, [grant.ledger_account_id]);
  const row = accounts.get(grant.ledger_account_id);
  assert(row !== undefined, `grant ${grant.id} has its ledger account`);
  const pooled = grant.ledger_account_id !== `wallet:${grant.account_id}:${grant.kind}:${grant.id}`;
  let amount = availableOf(row) > 0n ? availableOf(row) : 0n;
  if (pooled) {
    const earlier = await tx.db
      .selectFrom('wallet_adjustments')
      .select((eb) => eb.fn.sum<bigint | string | number | null>('amount_micro_usd').as('total'))
      .where('type', '=', 'revoke')
      .where('grant_id', '=', grant.id)
      .executeTakeFirstOrThrow();
    const left = grant.amount_micro_usd - BigInt(earlier.total ?? 0);
    if (left < amount) amount = left > 0n ? left : 0n;
  }
  const now_ms = tx.clock.now_ms();
  const held_micro_usd = pooled ? 0n : row.debits_pending;
  if (amount === 0n) {
    await closeSpentGrants(tx, [grant.ledger_account_id]);
    const balance = await getWalletBalance(tx.db, grant.account_id, now_ms);
    return { grant, revoked_micro_usd: 0n, held_micro_usd, adjustment: null, balance };
  }
  const funding = await tx.db
    .selectFrom('ledger_transfers')
    .select('debit_account_id')
    .where('id', '=', grant.transfer_id)
    .executeTakeFirstOrThrow();
  const id = tx.ids.newId('adj');
  const [result] = await createTransfers(tx, [
    {
      id: `${id}:0`,
      debit_account_id: grant.ledger_account_id,
      credit_account_id: funding.debit_account_id,
      amount,
      code: TRANSFER_CODES.grant_revoked,
      reference: id,
    },
  ]);
  assert(result === 'ok', `revoking ${grant.id} under its lock: ${result}`);
  const adjustment = await recordAdjustment(tx, {
    id,
    account_id: grant.account_id,
    type: 'revoke',
    amount_micro_usd: amount,
    memo: input.memo,
    reference: grant.id,
    operator: input.operator,
    grant_id: grant.id,
  });
  await closeSpentGrants(tx, [grant.ledger_account_id]);
  await watchBalance(tx, { account_id: grant.account_id, spent_micro_usd: amount });
  const balance = await getWalletBalance(tx.db, grant.account_id, now_ms);
  return { grant, revoked_micro_usd: amount, held_micro_usd, adjustment, balance };
}
