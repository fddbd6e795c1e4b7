/**
 * The receivable of a usage-based (postpaid) account: one ledger account per customer account,
 * `usage:<account>:receivable`, owned by the customer (so its transactions stay inside one
 * customer's rows), without the no-overdraft flag: a job's hold debits it pending and its charge
 * posted, crediting revenue, so its debits are what the customer owes. The cap is enforced at
 * admission (`holds.ts`), not by the ledger. Created when the account is made usage-based.
 */
import type { TxContext } from '../context.ts';
import { createAccounts } from '../ledger/accounts.ts';
import { ACCOUNT_CODES } from '../ledger/codes.ts';
import { isApplied } from '../ledger/errors.ts';
import { assert } from '../shared/assert.ts';

export function receivableAccountId(account_id: string): string {
  return `usage:${account_id}:receivable`;
}

/** Creates the account's receivable if it does not exist yet. Idempotent. */
export async function ensureReceivableAccount(tx: TxContext, account_id: string): Promise<void> {
  const [result] = await createAccounts(tx, [
    {
      id: receivableAccountId(account_id),
      currency: 'usd_micro',
      code: ACCOUNT_CODES.customer_receivable,
      flags: 0n,
      owner_id: account_id,
    },
  ]);
  assert(result !== undefined && isApplied(result), `receivable of ${account_id}: ${result}`);
}
