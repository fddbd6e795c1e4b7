/**
 * The parts of a wallet on the hot path: its open grants' ledger accounts, its two pools and its
 * debt account, each with the terms that order spending (`draw-order.ts`). Exhausted, expired and
 * revoked grants are closed (`closed_at_ms`) and drop out, so reading or locking a wallet costs
 * its open grants, not every grant it ever had: the read is one statement over the partial index
 * `grants_open_by_account` plus three primary-key lookups.
 */
import { type Kysely, sql } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { whereIdIn } from '../db/dialect.ts';
import { prepareQuery } from '../db/prepared.ts';
import type { AccountRow } from '../ledger/ledger.table.ts';
import { lockAccounts } from '../ledger/locks.ts';
import { assert } from '../shared/assert.ts';
import { POOL_PRIORITY } from './grant-terms.ts';
import {
  debtAccountId,
  kindOfWalletAccount,
  WALLET_KINDS,
  type WalletKind,
  walletAccountId,
} from './wallet-accounts.ts';

export type WalletPart = {
  /** The ledger account id. */
  id: string;
  /** `null` for the debt account, which is never drawn from. */
  kind: WalletKind | null;
  /** The grant whose money this is; null for the pools and the debt account. */
  grant_id: string | null;
  priority: bigint;
  expires_at_ms: bigint | null;
  opened_at_ms: bigint;
  row: AccountRow;
};

export type Wallet = { account_id: string; parts: WalletPart[] };

export function availableOf(
  row: Pick<AccountRow, 'credits_posted' | 'debits_posted' | 'debits_pending'>,
): bigint {
  return row.credits_posted - row.debits_posted - row.debits_pending;
}

export function isPastExpiry(part: WalletPart, now_ms: bigint): boolean {
  return part.expires_at_ms !== null && part.expires_at_ms <= now_ms;
}

/**
 * What a part adds to the wallet's available balance: its available balance, except that the free
 * part of a grant past its expiry counts as gone (an overrun's negative still counts).
 */
export function spendableOf(part: WalletPart, now_ms: bigint): bigint {
  const available = availableOf(part.row);
  return isPastExpiry(part, now_ms) && available > 0n ? 0n : available;
}

type GrantTerms = {
  grant_id: string | null;
  priority: bigint | null;
  expires_at_ms: bigint | null;
  opened_at_ms: bigint | null;
};

function fixedAccountIds(account_id: string): string[] {
  return [
    ...WALLET_KINDS.map((kind) => walletAccountId(account_id, kind)),
    debtAccountId(account_id),
  ];
}

function toPart(row: AccountRow, terms: GrantTerms): WalletPart {
  return {
    id: row.id,
    kind: kindOfWalletAccount(row.id),
    grant_id: terms.grant_id,
    priority: terms.priority ?? POOL_PRIORITY,
    expires_at_ms: terms.expires_at_ms,
    opened_at_ms: terms.opened_at_ms ?? 0n,
    row,
  };
}

function toWallet(account_id: string, parts: WalletPart[]): Wallet {
  assert(
    fixedAccountIds(account_id).every((id) => parts.some((part) => part.id === id)),
    `wallet of ${account_id} is missing`,
  );
  return { account_id, parts };
}

const WALLET_PARTS = prepareQuery(
  (db, dialect, p: { account_id: string; fixed_ids: readonly string[] }) =>
    db
      .selectFrom('grants as g')
      .innerJoin('ledger_accounts as a', 'a.id', 'g.ledger_account_id')
      .selectAll('a')
      .select((eb) => [
        eb.ref('g.id').$castTo<string | null>().as('grant_id'),
        eb.ref('g.priority').$castTo<bigint | null>().as('priority'),
        eb.ref('g.expires_at_ms').as('expires_at_ms'),
        eb.ref('g.created_at_ms').$castTo<bigint | null>().as('opened_at_ms'),
      ])
      .where('g.account_id', '=', p.account_id)
      .where('g.closed_at_ms', 'is', null)
      .unionAll(
        db
          .selectFrom('ledger_accounts as a')
          .selectAll('a')
          .select([
            sql<string | null>`CAST(NULL AS TEXT)`.as('grant_id'),
            sql<bigint | null>`CAST(NULL AS BIGINT)`.as('priority'),
            sql<bigint | null>`CAST(NULL AS BIGINT)`.as('expires_at_ms'),
            sql<bigint | null>`CAST(NULL AS BIGINT)`.as('opened_at_ms'),
          ])
          .where(whereIdIn(dialect, 'a.id', p.fixed_ids)),
      ),
);

const OPEN_GRANTS = prepareQuery((db, _dialect, p: { account_id: string }) =>
  db
    .selectFrom('grants')
    .select([
      'id as grant_id',
      'ledger_account_id',
      'priority',
      'expires_at_ms',
      'created_at_ms as opened_at_ms',
    ])
    .where('account_id', '=', p.account_id)
    .where('closed_at_ms', 'is', null),
);

/** The open grants of several accounts (batch admission), in one statement. */
const OPEN_GRANTS_OF = prepareQuery((db, dialect, p: { account_ids: readonly string[] }) =>
  db
    .selectFrom('grants')
    .select([
      'account_id',
      'id as grant_id',
      'ledger_account_id',
      'priority',
      'expires_at_ms',
      'created_at_ms as opened_at_ms',
    ])
    .where(whereIdIn(dialect, 'account_id', p.account_ids))
    .where('closed_at_ms', 'is', null),
);

/** Reads a wallet's parts in one statement; works in or out of a transaction. */
export async function readWallet(db: Kysely<DB>, account_id: string): Promise<Wallet> {
  const rows = await WALLET_PARTS.execute(db, {
    account_id,
    fixed_ids: fixedAccountIds(account_id),
  });
  return toWallet(
    account_id,
    rows.map(({ grant_id, priority, expires_at_ms, opened_at_ms, ...row }) =>
      toPart(row, { grant_id, priority, expires_at_ms, opened_at_ms }),
    ),
  );
}

/**
 * Locks a wallet's ledger accounts (step 3 of the lock order in `ledger/locks.ts`: customer
 * ledger accounts in id order) and returns its parts with the locked balances. A grant opened
 * after the first read is simply not drawn from by this transaction.
 */
export async function lockWallet(tx: TxContext, account_id: string): Promise<Wallet> {
  const open = await OPEN_GRANTS.execute(tx.db, { account_id });
  const fixed = fixedAccountIds(account_id);
  const rows = await lockAccounts(tx, [...fixed, ...open.map((g) => g.ledger_account_id)]);
  const parts: WalletPart[] = [];
  for (const grant of open) {
    const row = rows.get(grant.ledger_account_id);
    assert(row !== undefined, `grant ${grant.grant_id} has its ledger account`);
    parts.push(toPart(row, grant));
  }
  for (const id of fixed) {
    const row = rows.get(id);
    if (row !== undefined)
      parts.push(
        toPart(row, { grant_id: null, priority: null, expires_at_ms: null, opened_at_ms: null }),
      );
  }
  return toWallet(account_id, parts);
}

/**
 * `lockWallet` for several accounts at once: one read of their open grants and ONE locking
 * statement over all their ledger accounts, in id order (step 3 of the lock order), so a batch
 * of admissions takes its wallet locks as one transaction of one wallet would.
 */
export async function lockWallets(
  tx: TxContext,
  account_ids: readonly string[],
): Promise<Map<string, Wallet>> {
  const wallets = new Map<string, Wallet>();
  if (account_ids.length === 0) return wallets;
  const open = await OPEN_GRANTS_OF.execute(tx.db, { account_ids });
  const ids = account_ids.flatMap(fixedAccountIds);
  const rows = await lockAccounts(tx, [...ids, ...open.map((g) => g.ledger_account_id)]);
  const partsOf = new Map<string, WalletPart[]>(account_ids.map((id) => [id, []]));
  for (const { account_id, ...grant } of open) {
    const row = rows.get(grant.ledger_account_id);
    assert(row !== undefined, `grant ${grant.grant_id} has its ledger account`);
    partsOf.get(account_id)?.push(toPart(row, grant));
  }
  for (const account_id of account_ids) {
    const parts = partsOf.get(account_id)!;
    for (const id of fixedAccountIds(account_id)) {
      const row = rows.get(id);
      if (row !== undefined)
        parts.push(
          toPart(row, { grant_id: null, priority: null, expires_at_ms: null, opened_at_ms: null }),
        );
    }
    wallets.set(account_id, toWallet(account_id, parts));
  }
  return wallets;
}
