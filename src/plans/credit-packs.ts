/**
 * Add-on credit packs: credits the operator grants an account on top of its plan. They go to the
 * account's add-on ledger account (`credits:<account>:add_on`) from the credit-issuance account,
 * never expire, and are spent after the premium credits. Each pack is a record and one transfer
 * whose id derives from the pack id.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { createTransfers } from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { PREMIUM_CREDIT_MILLI_MAX } from './catalog.ts';
import {
  addOnAccountId,
  CREDIT_ISSUANCE_ACCOUNT_ID,
  ensureCreditAccounts,
} from './credit-accounts.ts';
import { planError } from './errors.ts';
import type { CreditPackRow } from './plans.table.ts';

/** Grants a pack of `amount_credit_milli` (above 0, at most a million credits). */
export async function grantCreditPack(
  tx: TxContext,
  request: { account_id: string; amount_credit_milli: bigint; memo: string | null },
): Promise<CreditPackRow> {
  const amount = request.amount_credit_milli;
  if (amount <= 0n || amount > PREMIUM_CREDIT_MILLI_MAX) {
    throw planError(
      'plan_rejected',
      'A credit pack holds more than 0 and at most 1,000,000 credits.',
      {
        param: 'credits',
      },
    );
  }
  // The account's row first (step 2 of `ledger/locks.ts`), as a reset of its cycle takes it.
  const query = tx.db.selectFrom('accounts').select('id').where('id', '=', request.account_id);
  const account = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  if (account === undefined) {
    throw new DomainError('account_not_found', `Account ${request.account_id} not found.`, {
      param: 'account_id',
    });
  }
  const ledger_account_id = addOnAccountId(request.account_id);
  await ensureCreditAccounts(tx, request.account_id, [ledger_account_id]);
  const id = tx.ids.newId('cpk');
  const row: CreditPackRow = {
    id,
    account_id: request.account_id,
    amount_credit_milli: amount,
    memo: request.memo,
    transfer_id: `${id}:grant`,
    created_at_ms: tx.clock.now_ms(),
  };
  const [result] = await createTransfers(tx, [
    {
      id: row.transfer_id,
      debit_account_id: CREDIT_ISSUANCE_ACCOUNT_ID,
      credit_account_id: ledger_account_id,
      amount,
      code: TRANSFER_CODES.credits_add_on,
      reference: id,
    },
  ]);
  assert(result === 'ok', `credit pack ${id}: ${result}`);
  await tx.db.insertInto('credit_packs').values(row).execute();
  return row;
}

/** An account's packs, newest first (at most `limit`). */
export function listCreditPacks(
  db: Kysely<DB>,
  request: { account_id: string; limit: number },
): Promise<CreditPackRow[]> {
  return db
    .selectFrom('credit_packs')
    .selectAll()
    .where('account_id', '=', request.account_id)
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(request.limit)
    .execute();
}
