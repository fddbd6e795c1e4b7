/**
 * An account's grants for operators, newest first in keyset pages, each with what it has left,
 * what jobs hold of it, and what expired and was revoked of it (from the ledger: the grant's
 * account balances and its `grant_expired` / `grant_revoked` transfers). A grant made before
 * grant terms shares its wallet's pool (`pooled: true`): its remaining and held figures are the
 * pool's.
 */
import type { Kysely } from 'kysely';
import { getAccount } from '../accounts/accounts.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/database.ts';
import { olderThanCursor } from '../db/keyset.ts';
import { TRANSFER_CODES } from '../ledger/codes.ts';
import { assert } from '../shared/assert.ts';
import type { PageCursor } from '../shared/page-token.ts';
import { grantAccountId, type WalletKind } from './wallet-accounts.ts';
import { availableOf } from './wallet-parts.ts';
import type { GrantRow } from './wallets.table.ts';

const GRANT_PAGE_SIZE_MAX = 1_000;

export type GrantStatus = 'open' | 'closed';

export type GrantWithFigures = GrantRow & {
  pooled: boolean;
  status: GrantStatus;
  /** Free to spend now (0 once past its expiry, even before the sweep). */
  remaining_micro_usd: bigint;
  held_micro_usd: bigint;
  expired_micro_usd: bigint;
  revoked_micro_usd: bigint;
};

/** One page of an account's grants as `limit + 1` rows. `account_not_found` if unknown. */
export async function listGrants(
  ctx: { db: Kysely<DB>; config: Config; clock: { now_ms(): bigint } },
  page: { account_id: string; limit: number; after: PageCursor | null },
): Promise<GrantWithFigures[]> {
  assert(page.limit >= 1 && page.limit <= GRANT_PAGE_SIZE_MAX, 'grant page limit in range');
  await getAccount(ctx, page.account_id);
  let query = ctx.db
    .selectFrom('grants as g')
    .innerJoin('ledger_accounts as a', 'a.id', 'g.ledger_account_id')
    .selectAll('g')
    .select(['a.credits_posted', 'a.debits_posted', 'a.debits_pending'])
    .where('g.account_id', '=', page.account_id);
  if (page.after !== null) query = query.where(olderThanCursor(page.after, 'g'));
  const rows = await query
    .orderBy('g.created_at_ms', 'desc')
    .orderBy('g.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  if (rows.length === 0) return [];
  const taken = await ctx.db
    .selectFrom('ledger_transfers')
    .select(['reference', 'code', 'amount'])
    .where('code', 'in', [TRANSFER_CODES.grant_expired])
    .where(
      'reference',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const revocations = await ctx.db
    .selectFrom('wallet_adjustments')
    .select(['grant_id', 'amount_micro_usd'])
    .where('type', '=', 'revoke')
    .where('account_id', '=', page.account_id)
    .where(
      'grant_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const now_ms = ctx.clock.now_ms();
  return rows.map(({ credits_posted, debits_posted, debits_pending, ...grant }) => {
    const pooled =
      grant.ledger_account_id !==
      grantAccountId(grant.account_id, grant.kind as WalletKind, grant.id);
    const free = availableOf({ credits_posted, debits_posted, debits_pending });
    const past = grant.expires_at_ms !== null && grant.expires_at_ms <= now_ms;
    return {
      ...grant,
      pooled,
      status: grant.closed_at_ms === null ? 'open' : 'closed',
      remaining_micro_usd: past && free > 0n ? 0n : free,
      held_micro_usd: debits_pending,
      expired_micro_usd: taken
        .filter((t) => t.reference === grant.id)
        .reduce((sum, t) => sum + t.amount, 0n),
      revoked_micro_usd: revocations
        .filter((r) => r.grant_id === grant.id)
        .reduce((sum, r) => sum + r.amount_micro_usd, 0n),
    };
  });
}
