/**
 * Grants fund a wallet: `paid` (a top-up: cash → paid part) or `promotional` (free credit:
 * promotions → promotional part). Each grant is one ledger transfer plus a record row, written in
 * the caller's transaction.
 */
import { getAccount } from '../accounts/accounts.ts';
import type { TxContext } from '../context.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { cashAccountId, promotionsAccountId } from '../ledger/operator-accounts.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { isValidAmountMicroUsd } from '../shared/money.ts';
import { getWalletBalance, type WalletBalance } from './balance.ts';
import type { WalletErrorCode } from './errors.ts';
import { walletAccountId } from './wallet-accounts.ts';
import type { GrantRow } from './wallets.table.ts';

export type GrantKind = 'paid' | 'promotional';

export type NewGrant = {
  account_id: string;
  kind: GrantKind;
  amount_micro_usd: bigint;
  memo: string | null;
};

/** Credits the wallet and records the grant. The account must exist (its wallet accounts do). */
export async function grantFunds(tx: TxContext, input: NewGrant): Promise<GrantRow> {
  if (!isValidAmountMicroUsd(input.amount_micro_usd)) {
    throw new DomainError<WalletErrorCode>(
      'amount_invalid',
      'Grant amount must be positive and at most $1,000,000,000.',
      {
        param: 'amount_usd',
      },
    );
  }
  const id = tx.ids.newId('grant');
  const transfer_id = `${id}:credit`;
  const [result] = await createTransfers(tx, [
    {
      id: transfer_id,
      debit_account_id:
        input.kind === 'paid' ? cashAccountId('usd_micro') : promotionsAccountId('usd_micro'),
      credit_account_id: walletAccountId(input.account_id, input.kind),
      amount: input.amount_micro_usd,
      code: input.kind === 'paid' ? TRANSFER_CODES.grant_paid : TRANSFER_CODES.grant_promotional,
      reference: id,
    },
  ]);
  assert(result === 'ok', `grant transfer failed: ${result}`);
  const row: GrantRow = { id, ...input, transfer_id, created_at_ms: tx.clock.now_ms() };
  await tx.db.insertInto('grants').values(row).execute();
  return row;
}

/**
 * Grants funds to a customer account and returns the grant with the wallet's new balance.
 * `account_not_found` if the account is unknown, `amount_invalid` unless 0 < amount ≤ the maximum.
 * Requires a transaction: the balance returned is the one this grant produced.
 */
export type GrantResult = { grant: GrantRow; balance: WalletBalance };

export async function grantToAccount(tx: TxContext, input: NewGrant): Promise<GrantResult> {
  await getAccount(tx, input.account_id);
  const grant = await grantFunds(tx, input);
  return { grant, balance: await getWalletBalance(tx.db, input.account_id) };
}
