/**
 * A job's hold on a wallet. Holding reserves an upper-bound estimate as linked pending transfers
 * across the wallet's grants in spending order (`draw-order.ts`: promotional before paid, then
 * priority, expiry, age), so all parts or none exist. Settling posts the actual
 * price across the parts in the same order and releases the rest; a price above the hold is
 * charged on the last part with the ledger's overrun flag, but only down to minus the account's
 * `overdraft_limit_micro_usd`: the uncollected rest is written off (`writeOffFor`). Voiding
 * releases everything.
 * Transfer ids derive from the hold id (the job id) and phase, so a repeated settle or void is
 * an idempotent no-op and a hold resolves at most once.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { whereIdIn } from '../db/dialect.ts';
import { prepareQuery } from '../db/prepared.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import type { CreateTransferResult } from '../ledger/errors.ts';
import type { AccountRow, TransferRow } from '../ledger/ledger.table.ts';
import { revenueAccountIdFor, writeOffAccountId } from '../ledger/operator-accounts.ts';
import {
  createTransfers,
  createTransfersWithBalances,
  type TransferInput,
} from '../ledger/transfers.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { formatUsdForHumans, isValidAmountMicroUsd } from '../shared/money.ts';
import { summarizeWallet } from './balance.ts';
import { drawFrom, inSpendOrder } from './draw-order.ts';
import type { WalletErrorCode } from './errors.ts';
import { closeSpentGrants, isSpentAccount } from './grant-closing.ts';
import { lockWallet, type Wallet } from './wallet-parts.ts';

export type HoldRequest = {
  account_id: string;
  /** The job id; every transfer id of the hold derives from it. */
  hold_id: string;
  amount_micro_usd: bigint;
  timeout_ms: bigint;
};

/**
 * A part's suffix: its place in draw order (`0`, `1`, …); holds made before grant terms used
 * `promotional` then `paid`, which still resolve.
 */
const holdPartId = (hold_id: string, suffix: string) => `${hold_id}:hold:${suffix}`;
const resolvePartId = (hold_id: string, suffix: string) => `${hold_id}:resolve:${suffix}`;
const LEGACY_SUFFIX_ORDER: Record<string, number> = { promotional: 0, paid: 1 };
/** The transfer that writes off what a settlement could not collect. */
export const writeOffTransferId = (hold_id: string) => `${hold_id}:write_off`;

function walletError(code: WalletErrorCode, message: string, details?: Record<string, unknown>) {
  return new DomainError<WalletErrorCode>(code, message, { details });
}

/**
 * Reserves `amount_micro_usd` if the wallet's available balance covers it, else throws
 * `insufficient_balance` with the required and available amounts. Locks the wallet's rows first
 * so the total check and the transfers see the same balances.
 */
export async function holdFunds(tx: TxContext, request: HoldRequest): Promise<void> {
  const wallet = await lockWallet(tx, request.account_id);
  const transfers = planHold(wallet, request, {
    now_ms: tx.clock.now_ms(),
    revenue_shard_count: tx.config.limits.revenue_shard_count,
  });
  const results = await createTransfers(tx, transfers);
  assert(
    results.every((result) => result === 'ok'),
    `hold ${request.hold_id} failed after the balance check: ${results.join(',')}`,
  );
}

/**
 * The hold's linked chain of pending transfers on `wallet` (locked by the caller), or
 * `insufficient_balance`. Counts the chain as held on the wallet's rows in memory, so a batch that
 * plans several holds on one wallet (batch admission) sees each earlier hold, as the ledger will.
 */
export function planHold(
  wallet: Wallet,
  request: HoldRequest,
  at: { now_ms: bigint; revenue_shard_count: number },
): TransferInput[] {
  assert(isValidAmountMicroUsd(request.amount_micro_usd), 'a hold amount must be valid');
  const { now_ms } = at;
  const balance = summarizeWallet(wallet.parts, now_ms);
  if (balance.available_micro_usd < request.amount_micro_usd) {
    throw walletError(
      'insufficient_balance',
      `Your wallet has ${formatUsdForHumans(balance.available_micro_usd)} available but this job requires ${formatUsdForHumans(request.amount_micro_usd)}.`,
      {
        required_micro_usd: request.amount_micro_usd,
        available_micro_usd: balance.available_micro_usd,
      },
    );
  }
  const { draws, untaken } = drawFrom(inSpendOrder(wallet.parts), request.amount_micro_usd, now_ms);
  assert(untaken === 0n, `hold ${request.hold_id}: the free grants cover the available balance`);
  const revenue = revenueAccountIdFor('usd_micro', request.account_id, at.revenue_shard_count);
  const transfers: TransferInput[] = draws.map((draw, index) => ({
    id: holdPartId(request.hold_id, String(index)),
    debit_account_id: draw.part.id,
    credit_account_id: revenue,
    amount: draw.amount,
    flags: TRANSFER_FLAGS.pending | TRANSFER_FLAGS.linked,
    timeout_ms: request.timeout_ms,
    code: TRANSFER_CODES.hold,
    reference: request.hold_id,
  }));
  transfers[transfers.length - 1]!.flags = TRANSFER_FLAGS.pending;
  for (const draw of draws) draw.part.row.debits_pending += draw.amount;
  return transfers;
}

/** One part of a hold: its pending transfer as stored (immutable) and the wallet it holds on. */
export type HeldPart = {
  suffix: string;
  amount: bigint;
  ledger_account_id: string;
  account_id: string;
  transfer: TransferRow;
};

function suffixOrder(suffix: string): number {
  return LEGACY_SUFFIX_ORDER[suffix] ?? Number(suffix);
}

const HELD_PARTS = prepareQuery((db, dialect, p: { hold_ids: readonly string[] }) =>
  db
    .selectFrom('ledger_transfers')
    .innerJoin('ledger_accounts', 'ledger_accounts.id', 'ledger_transfers.debit_account_id')
    .selectAll('ledger_transfers')
    .select('ledger_accounts.owner_id')
    .where(whereIdIn(dialect, 'ledger_transfers.reference', p.hold_ids))
    .where('ledger_transfers.code', '=', TRANSFER_CODES.hold),
);

/**
 * The parts of each of `hold_ids`' holds in draw order (found by the job id, the reference of
 * every part), in one statement; a hold with no part is absent. A hold's parts are immutable once
 * its admission committed, so they may be read before, or outside, the transaction that resolves
 * it (the job worker reads those of a whole tick's jobs at once).
 */
export async function readHeldParts(
  db: Kysely<DB>,
  hold_ids: readonly string[],
): Promise<Map<string, HeldPart[]>> {
  const holds = new Map<string, HeldPart[]>();
  if (hold_ids.length === 0) return holds;
  for (const { owner_id, ...transfer } of await HELD_PARTS.execute(db, { hold_ids })) {
    const hold_id = transfer.reference;
    assert(hold_id !== null, `hold part ${transfer.id} names its hold`);
    assert(owner_id !== null, `hold ${hold_id} is on a customer's wallet`);
    const prefix = holdPartId(hold_id, '');
    assert(transfer.id.startsWith(prefix), `hold part ${transfer.id} is named after its hold`);
    const part: HeldPart = {
      suffix: transfer.id.slice(prefix.length),
      amount: transfer.amount,
      ledger_account_id: transfer.debit_account_id,
      account_id: owner_id,
      transfer,
    };
    const parts = holds.get(hold_id);
    if (parts === undefined) holds.set(hold_id, [part]);
    else parts.push(part);
  }
  for (const parts of holds.values()) {
    parts.sort((a, b) => suffixOrder(a.suffix) - suffixOrder(b.suffix));
  }
  return holds;
}

/** The parts of one hold: `held` if the caller read them already, else read now. */
async function heldParts(
  tx: TxContext,
  hold_id: string,
  held: readonly HeldPart[] | undefined,
): Promise<readonly HeldPart[]> {
  if (held !== undefined && held.length > 0) {
    assert(
      held.every((part) => part.transfer.reference === hold_id),
      `the parts given are hold ${hold_id}'s`,
    );
    return held;
  }
  const parts = (await readHeldParts(tx.db, [hold_id])).get(hold_id);
  if (parts === undefined) throw walletError('hold_not_found', `No hold ${hold_id}.`);
  return parts;
}

/**
 * Charges exactly `amount_micro_usd` (0 releases everything) and releases the rest of the hold.
 * Above the hold, the excess is still charged (the customer has the output), but only while the
 * wallet's posted balance stays at or above minus the account's overdraft limit, counting the
 * other jobs' holds as spent: the amount written off is credited back to the wallet from the
 * operator's write-off account, in the same linked chain, with the job id as reference. So
 * another job's hold always stays collectible, and what was written off plus what the wallet
 * paid is the price. Idempotent for the same amount; `hold_already_resolved` if the hold was
 * resolved otherwise. Returns `expired` (charging nothing) when the hold expired first: an
 * outcome the caller records, not an error, so the release of the expired hold commits with the
 * caller's transaction.
 */
export async function settleHold(
  tx: TxContext,
  request: { hold_id: string; amount_micro_usd: bigint; held?: readonly HeldPart[] },
): Promise<HoldOutcome> {
  assert(request.amount_micro_usd >= 0n, 'a settle amount is never negative');
  const parts = await heldParts(tx, request.hold_id, request.held);
  let remaining = request.amount_micro_usd;
  const transfers = parts.map((part, index) => {
    const last = index === parts.length - 1;
    const charge = last ? remaining : minBigint(remaining, part.amount);
    remaining -= charge;
    return resolveTransfer(request.hold_id, part, charge, !last);
  });
  const writeOff = await writeOffFor(tx, request, parts);
  if (writeOff !== null) transfers[transfers.length - 1]!.flags! |= TRANSFER_FLAGS.linked;
  const resolution = await applyResolution(tx, parts, transfers, writeOff ?? undefined);
  await closeDrawnGrants(tx, parts, resolution.accounts);
  return resolution.outcome;
}

/**
 * The write-off a settlement of `amount_micro_usd` needs, or null. Locks the wallet (lock order:
 * customer ledger accounts first) so concurrent settlements of one wallet bound one at a time.
 * Charged at most: the hold, or what the wallet has beyond the other holds plus the overdraft
 * limit, whichever is larger. A hold no longer pending is left to the ledger's result codes
 * (with the write-off it committed, if any, so a retried settlement is `exists` throughout).
 */
async function writeOffFor(
  tx: TxContext,
  request: { hold_id: string; amount_micro_usd: bigint },
  parts: readonly HeldPart[],
): Promise<TransferInput | null> {
  const held = parts.reduce((total, part) => total + part.amount, 0n);
  if (request.amount_micro_usd <= held) return null;
  const account_id = parts[0]!.account_id;
  const wallet = await lockWallet(tx, account_id);
  const now_ms = tx.clock.now_ms();
  const pendings = await tx.db
    .selectFrom('ledger_pending')
    .select(['status', 'expires_at_ms'])
    .where(
      'transfer_id',
      'in',
      parts.map((part) => holdPartId(request.hold_id, part.suffix)),
    )
    .execute();
  const stillHeld = pendings.every(
    (p) => p.status === 'pending' && (p.expires_at_ms === null || p.expires_at_ms > now_ms),
  );
  if (!stillHeld || pendings.length !== parts.length) return existingWriteOff(tx, request.hold_id);
  const account = await tx.db
    .selectFrom('accounts')
    .select('overdraft_limit_micro_usd')
    .where('id', '=', account_id)
    .executeTakeFirstOrThrow();
  // What the wallet has beyond the other holds (free credit past its expiry counts as gone),
  // plus this hold, plus the overdraft limit.
  const balance = summarizeWallet(wallet.parts, now_ms);
  const collectible = maxBigint(
    held,
    balance.available_micro_usd + held + account.overdraft_limit_micro_usd,
  );
  const uncollected = request.amount_micro_usd - minBigint(request.amount_micro_usd, collectible);
  if (uncollected === 0n) return null;
  return {
    id: writeOffTransferId(request.hold_id),
    debit_account_id: writeOffAccountId('usd_micro'),
    credit_account_id: parts[parts.length - 1]!.ledger_account_id,
    amount: uncollected,
    code: TRANSFER_CODES.write_off,
    reference: request.hold_id,
  };
}

/** A retried settlement repeats the chain it committed: its write-off as stored, if any. */
async function existingWriteOff(tx: TxContext, hold_id: string): Promise<TransferInput | null> {
  const row = await tx.db
    .selectFrom('ledger_transfers')
    .select(['id', 'debit_account_id', 'credit_account_id', 'amount', 'code', 'reference'])
    .where('id', '=', writeOffTransferId(hold_id))
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Releases the whole hold. Idempotent; `hold_already_resolved` if it was settled. `held`: the
 * hold's parts if the caller read them already (`readHeldParts`).
 */
export async function voidHold(
  tx: TxContext,
  request: { hold_id: string; held?: readonly HeldPart[] },
): Promise<HoldOutcome> {
  const parts = await heldParts(tx, request.hold_id, request.held);
  const resolution = await applyResolution(
    tx,
    parts,
    parts.map((part, index) =>
      resolveTransfer(request.hold_id, part, 0n, index < parts.length - 1),
    ),
  );
  await closeDrawnGrants(tx, parts, resolution.accounts);
  return resolution.outcome;
}

/**
 * Closes the grants the hold drew on that the resolution left spent. Their balances after it are
 * the ones the ledger read under lock (`accounts`), so a grant left with money, or with another
 * hold on it, costs no statement; after an expiry (`accounts` null: parts were released one by
 * one) every drawn grant is checked in the database.
 */
async function closeDrawnGrants(
  tx: TxContext,
  parts: readonly HeldPart[],
  accounts: ReadonlyMap<string, AccountRow> | null,
): Promise<void> {
  const drawn = parts.map((part) => part.ledger_account_id);
  const spent =
    accounts === null
      ? drawn
      : drawn.filter((id) => {
          const account = accounts.get(id);
          return account === undefined || isSpentAccount(account);
        });
  await closeSpentGrants(tx, spent);
}

function resolveTransfer(
  hold_id: string,
  part: HeldPart,
  charge: bigint,
  linked: boolean,
): TransferInput {
  const link = linked ? TRANSFER_FLAGS.linked : 0n;
  const overrun = charge > part.amount ? TRANSFER_FLAGS.overrun : 0n;
  return {
    id: resolvePartId(hold_id, part.suffix),
    pending_id: holdPartId(hold_id, part.suffix),
    amount: charge,
    flags:
      (charge > 0n ? TRANSFER_FLAGS.post_pending | overrun : TRANSFER_FLAGS.void_pending) | link,
    code: charge > 0n ? TRANSFER_CODES.settle : TRANSFER_CODES.release,
    reference: hold_id,
  };
}

/** `resolved`: settled or voided as asked (now or before); `expired`: nothing was charged. */
export type HoldOutcome = 'resolved' | 'expired';

/** The outcome, and the balances of the accounts involved after it (null after an expiry). */
type Resolution = { outcome: HoldOutcome; accounts: ReadonlyMap<string, AccountRow> | null };

async function applyResolution(
  tx: TxContext,
  parts: readonly HeldPart[],
  transfers: TransferInput[],
  writeOff?: TransferInput,
): Promise<Resolution> {
  const hold_id = parts[0]!.transfer.reference!;
  const { results, accounts } = await createTransfersWithBalances(
    tx,
    writeOff ? [...transfers, writeOff] : transfers,
    { known_transfers: parts.map((part) => part.transfer) },
  );
  if (results.every((r) => r === 'ok' || r === 'exists')) return { outcome: 'resolved', accounts };
  const failure = results.find((r) => r !== 'ok' && r !== 'exists' && r !== 'linked_event_failed');
  if (failure === 'pending_transfer_expired') {
    await expireRemainingParts(tx, transfers);
    return { outcome: 'expired', accounts: null };
  }
  if (isResolvedElsewise(failure)) {
    throw walletError('hold_already_resolved', `The hold of ${hold_id} was already resolved.`);
  }
  assert(false, `resolving hold ${hold_id} failed: ${results.join(',')}`);
}

/**
 * A linked resolution fails as a whole when one part has expired, which rolls back the expiry of
 * that part too; voiding the parts one by one releases every part (expired ones expire now).
 */
async function expireRemainingParts(tx: TxContext, transfers: TransferInput[]): Promise<void> {
  for (const transfer of transfers) {
    const [result] = await createTransfers(tx, [
      { ...transfer, amount: 0n, flags: TRANSFER_FLAGS.void_pending, code: TRANSFER_CODES.release },
    ]);
    assert(
      result === 'ok' || result === 'pending_transfer_expired' || result === 'exists',
      `releasing ${transfer.id} after expiry: ${result}`,
    );
  }
}

function isResolvedElsewise(result: CreateTransferResult | undefined): boolean {
  return (
    result === 'pending_transfer_already_posted' ||
    result === 'pending_transfer_already_voided' ||
    result?.startsWith('exists_with_different_') === true
  );
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
