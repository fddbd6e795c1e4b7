/**
 * The operator's side of the ledger: cash (payments received), promotions (free credit given),
 * write-off, expired (the unspent part of expired grants), adjustments (debits and revocations of
 * wallets), and revenue split into shards per currency so concurrent settlements for different
 * customers do not queue on one row. A customer's revenue shard is fixed by its account id, which
 * keeps every money transaction inside one customer's rows plus one shard.
 */
import { createHash } from 'node:crypto';
import type { TxContext } from '../context.ts';
import { assert } from '../shared/assert.ts';
import { createAccounts } from './accounts.ts';
import { ACCOUNT_CODES, type Currency } from './codes.ts';
import { isApplied } from './errors.ts';

/** Every operator account id starts with this; no customer account id does. */
export const OPERATOR_ACCOUNT_ID_PREFIX = 'operator:';

export function isOperatorAccountId(id: string): boolean {
  return id.startsWith(OPERATOR_ACCOUNT_ID_PREFIX);
}

export function cashAccountId(currency: Currency): string {
  return `operator:cash:${currency}`;
}

export function promotionsAccountId(currency: Currency): string {
  return `operator:promotions:${currency}`;
}

export function writeOffAccountId(currency: Currency): string {
  return `operator:write_off:${currency}`;
}

export function expiredAccountId(currency: Currency): string {
  return `operator:expired:${currency}`;
}

export function adjustmentsAccountId(currency: Currency): string {
  return `operator:adjustments:${currency}`;
}

export function revenueShardId(currency: Currency, shard: number): string {
  return `operator:revenue:${currency}:${shard}`;
}

/** The revenue shard that settlements of `owner_id` credit: a stable hash, not a round-robin. */
export function revenueAccountIdFor(
  currency: Currency,
  owner_id: string,
  shard_count: number,
): string {
  const hash = createHash('sha256').update(owner_id).digest();
  return revenueShardId(currency, hash.readUInt32BE(0) % shard_count);
}

/** Creates every operator account that does not exist yet. Idempotent; run at start. */
export async function ensureOperatorAccounts(tx: TxContext): Promise<void> {
  const shardCount = tx.config.limits.revenue_shard_count;
  const inputs = (['usd_micro', 'credit_milli'] as const).flatMap((currency) => [
    { id: cashAccountId(currency), code: ACCOUNT_CODES.cash, currency },
    { id: promotionsAccountId(currency), code: ACCOUNT_CODES.promotions, currency },
    { id: writeOffAccountId(currency), code: ACCOUNT_CODES.write_off, currency },
    { id: expiredAccountId(currency), code: ACCOUNT_CODES.expired, currency },
    { id: adjustmentsAccountId(currency), code: ACCOUNT_CODES.adjustments, currency },
    ...Array.from({ length: shardCount }, (_, shard) => ({
      id: revenueShardId(currency, shard),
      code: ACCOUNT_CODES.revenue,
      currency,
    })),
  ]);
  const results = await createAccounts(
    tx,
    inputs.map((input) => ({ ...input, flags: 0n, owner_id: null })),
  );
  assert(results.every(isApplied), `operator accounts could not be created: ${results.join(',')}`);
}
