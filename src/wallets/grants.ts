/**
 * Grants fund a wallet: `paid` (a top-up: cash → the grant) or `promotional` (free credit:
 * promotions → the grant), each with a source, a priority and an optional expiry
 * (`grant-terms.ts`). Each grant is its own no-overdraft ledger account owned by the customer
 * (`wallet:<account>:<kind>:<grant>`), one ledger transfer that credits it and a record row, all
 * written in the caller's transaction. A refund (`refunds.ts`) opens a grant the same way, but
 * credited from revenue.
 */
import { getAccount } from '../accounts/accounts.ts';
import type { TxContext } from '../context.ts';
import { createAccounts } from '../ledger/accounts.ts';
import { ACCOUNT_CODES, ACCOUNT_FLAGS, TRANSFER_CODES } from '../ledger/codes.ts';
import { isApplied } from '../ledger/errors.ts';
import { cashAccountId, promotionsAccountId } from '../ledger/operator-accounts.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { isValidAmountMicroUsd } from '../shared/money.ts';
import { getWalletBalance, type WalletBalance } from './balance.ts';
import type { WalletErrorCode } from './errors.ts';
import {
  checkExpiry,
  checkPriority,
  GRANT_PRIORITY_DEFAULT,
  GRANT_SOURCE_DEFAULT,
  type GrantKind,
  type GrantSource,
} from './grant-terms.ts';
import { grantAccountId } from './wallet-accounts.ts';
import type { GrantRow } from './wallets.table.ts';

export type { GrantKind, GrantSource } from './grant-terms.ts';

export type NewGrant = {
  account_id: string;
  kind: GrantKind;
  amount_micro_usd: bigint;
  memo: string | null;
  /** Where the money came from; default `operator`. */
  source?: GrantSource;
  /** Higher is drawn first within a kind; default 0. */
  priority?: number;
  /** When the unspent part expires; default null (never). */
  expires_at_ms?: bigint | null;
};

/** Credits the wallet and records the grant. The account must exist (its wallet accounts do). */
export async function grantFunds(tx: TxContext, input: NewGrant): Promise<GrantRow> {
  return openGrant(tx, input, {
    debit_account_id:
      input.kind === 'paid' ? cashAccountId('usd_micro') : promotionsAccountId('usd_micro'),
    code: input.kind === 'paid' ? TRANSFER_CODES.grant_paid : TRANSFER_CODES.grant_promotional,
    reference: null,
  });
}

/** Where a new grant's money comes from, and the code and reference of its credit. */
export type GrantFunding = {
  debit_account_id: string;
  code: bigint;
  /** The credit transfer's reference; null names the grant itself. */
  reference: string | null;
};

/**
 * Opens a grant: checks its terms, creates its ledger account, credits it from
 * `funding.debit_account_id` and records the row. Requires a transaction.
 */
export async function openGrant(
  tx: TxContext,
  input: NewGrant,
  funding: GrantFunding,
): Promise<GrantRow> {
  if (!isValidAmountMicroUsd(input.amount_micro_usd)) {
    throw new DomainError<WalletErrorCode>(
      'amount_invalid',
      'Grant amount must be positive and at most $1,000,000,000.',
      {
        param: 'amount_usd',
      },
    );
  }
  const priority = input.priority ?? GRANT_PRIORITY_DEFAULT;
  const expires_at_ms = input.expires_at_ms ?? null;
  const now_ms = tx.clock.now_ms();
  checkPriority(priority);
  checkExpiry(expires_at_ms, now_ms);
  const id = tx.ids.newId('grant');
  const transfer_id = `${id}:credit`;
  const ledger_account_id = grantAccountId(input.account_id, input.kind, id);
  const created = await createAccounts(tx, [
    {
      id: ledger_account_id,
      currency: 'usd_micro',
      code: ACCOUNT_CODES.customer_wallet,
      flags: ACCOUNT_FLAGS.debits_must_not_exceed_credits,
      owner_id: input.account_id,
    },
  ]);
  assert(created.every(isApplied), `grant account ${ledger_account_id}: ${created.join(',')}`);
  const [result] = await createTransfers(tx, [
    {
      id: transfer_id,
      debit_account_id: funding.debit_account_id,
      credit_account_id: ledger_account_id,
      amount: input.amount_micro_usd,
      code: funding.code,
      reference: funding.reference ?? id,
    },
  ]);
  assert(result === 'ok', `grant transfer failed: ${result}`);
  const row: GrantRow = {
    id,
    account_id: input.account_id,
    kind: input.kind,
    amount_micro_usd: input.amount_micro_usd,
    memo: input.memo,
    transfer_id,
    created_at_ms: now_ms,
    source: input.source ?? GRANT_SOURCE_DEFAULT,
    priority: BigInt(priority),
    expires_at_ms,
    ledger_account_id,
    closed_at_ms: null,
  };
  await tx.db.insertInto('grants').values(row).execute();
  return row;
}

/**
 * Grants funds to a customer account and returns the grant with the wallet's new balance.
 * `account_not_found` if the account is unknown, `amount_invalid` unless 0 < amount ≤ the maximum,
 * `grant_terms_invalid` for a priority out of range or an expiry not in the future.
 * Requires a transaction: the balance returned is the one this grant produced.
 */
export type GrantResult = { grant: GrantRow; balance: WalletBalance };

export async function grantToAccount(tx: TxContext, input: NewGrant): Promise<GrantResult> {
  await getAccount(tx, input.account_id);
  const grant = await grantFunds(tx, input);
  return { grant, balance: await getWalletBalance(tx.db, input.account_id, tx.clock.now_ms()) };
}
