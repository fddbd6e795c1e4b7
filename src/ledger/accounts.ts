/**
 * Ledger accounts: created in batches with a result code per item, idempotent by id (the same
 * id with the same fields is `exists`; with other fields, a code naming the first difference).
 * Balances start at zero and change only through transfers.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import {
  ACCOUNT_FLAGS,
  ACCOUNT_FLAGS_ALL,
  CURRENCIES,
  type Currency,
  hasFlag,
  LEDGER_ID_PATTERN,
} from './codes.ts';
import type { CreateAccountResult } from './errors.ts';
import type { AccountRow } from './ledger.table.ts';

export type AccountInput = {
  id: string;
  currency: Currency;
  code: bigint;
  flags: bigint;
  /** The customer account that owns this ledger account (its distribution key), if any. */
  owner_id: string | null;
};

/**
 * Creates accounts in one transaction. Returns one result per input, in order. Requires a
 * transaction so a caller can create accounts together with the rows that refer to them.
 */
export async function createAccounts(
  tx: TxContext,
  inputs: readonly AccountInput[],
): Promise<CreateAccountResult[]> {
  if (inputs.length > tx.config.limits.ledger_batch_size_max) {
    return inputs.map(() => 'batch_too_large');
  }
  const existing = await lookupAccounts(
    tx.db,
    inputs.map((input) => input.id),
  );
  const seen = new Map<string, AccountInput>();
  const results: CreateAccountResult[] = [];
  const now_ms = tx.clock.now_ms();
  for (const input of inputs) {
    const invalid = validateAccount(input);
    if (invalid !== null) {
      results.push(invalid);
      continue;
    }
    const prior = existing.get(input.id) ?? seen.get(input.id);
    if (prior !== undefined) {
      results.push(compareAccount(prior, input));
      continue;
    }
    seen.set(input.id, input);
    await tx.db
      .insertInto('ledger_accounts')
      .values({
        ...input,
        debits_pending: 0n,
        debits_posted: 0n,
        credits_pending: 0n,
        credits_posted: 0n,
        created_at_ms: now_ms,
      })
      .execute();
    results.push('ok');
  }
  return results;
}

function validateAccount(input: AccountInput): CreateAccountResult | null {
  if (typeof input.id !== 'string' || !LEDGER_ID_PATTERN.test(input.id)) return 'id_invalid';
  if (!(CURRENCIES as readonly string[]).includes(input.currency)) return 'currency_invalid';
  if (typeof input.code !== 'bigint' || input.code <= 0n || input.code > 65_535n) {
    return 'code_invalid';
  }
  if (
    typeof input.flags !== 'bigint' ||
    input.flags < 0n ||
    (input.flags & ~ACCOUNT_FLAGS_ALL) !== 0n
  ) {
    return 'flags_invalid';
  }
  if (
    hasFlag(input.flags, ACCOUNT_FLAGS.debits_must_not_exceed_credits) &&
    hasFlag(input.flags, ACCOUNT_FLAGS.credits_must_not_exceed_debits)
  ) {
    return 'flags_are_mutually_exclusive';
  }
  if (input.owner_id !== null && !LEDGER_ID_PATTERN.test(input.owner_id)) return 'owner_id_invalid';
  return null;
}

function compareAccount(
  prior: Pick<AccountRow, 'currency' | 'code' | 'flags' | 'owner_id'>,
  input: AccountInput,
): CreateAccountResult {
  if (prior.currency !== input.currency) return 'exists_with_different_currency';
  if (prior.code !== input.code) return 'exists_with_different_code';
  if (prior.flags !== input.flags) return 'exists_with_different_flags';
  if (prior.owner_id !== input.owner_id) return 'exists_with_different_owner_id';
  return 'exists';
}

const LOOKUP_CHUNK_SIZE = 500;

/** Reads accounts by id (missing ids are absent from the map). Works in or out of a transaction. */
export async function lookupAccounts(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Map<string, AccountRow>> {
  const found = new Map<string, AccountRow>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += LOOKUP_CHUNK_SIZE) {
    const chunk = unique.slice(start, start + LOOKUP_CHUNK_SIZE);
    const rows = await db
      .selectFrom('ledger_accounts')
      .selectAll()
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}
