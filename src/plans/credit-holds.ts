/**
 * A web-plan job's hold, in credits. Holding prices the job's estimated usage on the credit card
 * in effect, then reserves that many credits as linked pending transfers: the current cycle's
 * premium credits first, then the add-on credits, so both parts or neither exist. Settling posts
 * the actual usage's credits on the card version that priced the hold, across the parts in the
 * same order, and releases the rest; a price above the hold takes the excess from the credits
 * free at that moment (premium, then add-on) and leaves what they cannot cover uncollected
 * (recorded, never a negative balance). Releasing voids every part. Transfer ids derive from the
 * job id and phase, so a repeated settle or release is a no-op and a hold resolves at most once.
 */
import type { TxContext } from '../context.ts';
import type { JobUsage } from '../jobs/quote.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../ledger/codes.ts';
import { lockAccounts } from '../ledger/locks.ts';
import { createTransfers, type TransferInput } from '../ledger/transfers.ts';
import type { Usage } from '../pricing/usage.ts';
import { assert } from '../shared/assert.ts';
import {
  addOnAccountId,
  creditRevenueAccountId,
  freeOf,
  premiumAccountId,
} from './credit-accounts.ts';
import { creditPrice } from './credit-card.ts';
import { creditCardAt, findCreditCard } from './credit-card-store.ts';
import { formatCredits } from './credits-format.ts';
import { rollCycleIfDue } from './cycle-reset.ts';
import { planError } from './errors.ts';
import { getSubscription, webPlanRequired } from './subscriptions.ts';

export type CreditHoldRequest = {
  account_id: string;
  /** The job id; every transfer id of the hold derives from it. */
  hold_id: string;
  usage: JobUsage;
  /** The estimated output duration the USD quote priced (capped at `job_duration_ms_max`). */
  estimated_duration_ms: bigint;
  timeout_ms: bigint;
};

const holdPartId = (hold_id: string, index: number) => `${hold_id}:credits:hold:${index}`;
const resolvePartId = (hold_id: string, index: number) => `${hold_id}:credits:resolve:${index}`;
const extraPartId = (hold_id: string, index: number) => `${hold_id}:credits:extra:${index}`;

/**
 * Reserves the job's credits, or throws `web_plan_required` (no plan), `credits_not_offered`
 * (the credit card has no rate for the product) or `insufficient_credits` with the required and
 * available credits. A cycle due to reset is reset first (`rollCycleIfDue`), so a job never draws
 * on credits that have expired. The caller has locked the account's row.
 */
export async function holdCredits(tx: TxContext, request: CreditHoldRequest): Promise<bigint> {
  const found = await getSubscription(tx.db, request.account_id);
  if (found === null) throw webPlanRequired(request.account_id);
  const subscription = await rollCycleIfDue(tx, found);
  const card = await creditCardAt(tx.db, tx.clock.now_ms());
  const usage = { ...request.usage, duration_ms: request.estimated_duration_ms } as Usage;
  const amount = creditPrice(card, usage).amount_credit_milli;
  const ids = [
    premiumAccountId(request.account_id, subscription.cycle_number),
    addOnAccountId(request.account_id),
  ];
  const rows = await lockAccounts(tx, ids);
  const free = ids.map((id) => {
    const row = rows.get(id);
    return row === undefined ? 0n : freeOf(row);
  });
  const available = free[0]! + free[1]!;
  if (available < amount) {
    throw planError(
      'insufficient_credits',
      `Your web plan has ${formatCredits(available)} credits available but this job requires ` +
        `${formatCredits(amount)} credits.`,
      { details: { required_credit_milli: amount, available_credit_milli: available } },
    );
  }
  await reserve(tx, request, { ids, free, amount });
  await tx.db
    .insertInto('job_credits')
    .values({
      job_id: request.hold_id,
      account_id: request.account_id,
      credit_rate_card_version: card.version,
      hold_credit_milli: amount,
      charged_credit_milli: null,
      uncollected_credit_milli: null,
      created_at_ms: tx.clock.now_ms(),
    })
    .execute();
  return amount;
}

async function reserve(
  tx: TxContext,
  request: CreditHoldRequest,
  draw: { ids: string[]; free: bigint[]; amount: bigint },
): Promise<void> {
  const revenue = creditRevenueAccountId(tx, request.account_id);
  const transfers: TransferInput[] = [];
  let remaining = draw.amount;
  for (const [index, id] of draw.ids.entries()) {
    const take = minBigint(remaining, draw.free[index]!);
    if (take === 0n) continue;
    remaining -= take;
    transfers.push({
      id: holdPartId(request.hold_id, transfers.length),
      debit_account_id: id,
      credit_account_id: revenue,
      amount: take,
      flags: TRANSFER_FLAGS.pending | TRANSFER_FLAGS.linked,
      timeout_ms: request.timeout_ms,
      code: TRANSFER_CODES.hold,
      reference: request.hold_id,
    });
  }
  assert(remaining === 0n, `credit hold ${request.hold_id}: the free credits cover it`);
  if (transfers.length === 0) return;
  transfers[transfers.length - 1]!.flags = TRANSFER_FLAGS.pending;
  const results = await createTransfers(tx, transfers);
  assert(
    results.every((result) => result === 'ok'),
    `credit hold ${request.hold_id} failed after the balance check: ${results.join(',')}`,
  );
}

type HeldPart = { index: number; amount: bigint; ledger_account_id: string };

async function heldParts(tx: TxContext, hold_id: string): Promise<HeldPart[]> {
  const rows = await tx.db
    .selectFrom('ledger_transfers')
    .select(['id', 'amount', 'debit_account_id'])
    .where('reference', '=', hold_id)
    .where('code', '=', TRANSFER_CODES.hold)
    .execute();
  const prefix = `${hold_id}:credits:hold:`;
  return rows
    .map((row) => {
      assert(row.id.startsWith(prefix), `credit hold part ${row.id} is named after its job`);
      const index = Number(row.id.slice(prefix.length));
      return { index, amount: row.amount, ledger_account_id: row.debit_account_id };
    })
    .sort((a, b) => a.index - b.index);
}

export type CreditOutcome = 'resolved' | 'expired';

/**
 * Charges the job's actual usage (`duration_ms` of output, billed up to `job_duration_ms_max` as
 * the USD price is) in credits on the card version that priced its hold, and releases the rest.
 * Returns `expired` (charging nothing) when the hold expired first.
 */
export async function settleCredits(
  tx: TxContext,
  job: { id: string; account_id: string; usage_json: string },
  duration_ms: bigint,
): Promise<CreditOutcome> {
  const duration_ms_max = tx.config.limits.job_duration_ms_max;
  const billed_duration_ms = duration_ms > duration_ms_max ? duration_ms_max : duration_ms;
  const record = await tx.db
    .selectFrom('job_credits')
    .selectAll()
    .where('job_id', '=', job.id)
    .executeTakeFirstOrThrow();
  const card = await findCreditCard(tx.db, record.credit_rate_card_version);
  assert(card !== null, `job ${job.id}: its credit card ${record.credit_rate_card_version} exists`);
  const usage = { ...JSON.parse(job.usage_json), duration_ms: billed_duration_ms } as Usage;
  const charge = creditPrice(card, usage).amount_credit_milli;
  const parts = await heldParts(tx, job.id);
  // Step 3 of the lock order, before the resolution locks the revenue shard: the parts' accounts
  // and those a charge beyond the hold may draw on.
  await lockAccounts(tx, [
    ...parts.map((part) => part.ledger_account_id),
    ...(await spendableAccountIds(tx, job.account_id)),
  ]);
  let remaining = charge;
  const transfers = parts.map((part, index) => {
    const take = minBigint(remaining, part.amount);
    remaining -= take;
    return resolveTransfer(job.id, part, take, index < parts.length - 1);
  });
  if ((await applyResolution(tx, job.id, transfers)) === 'expired') return 'expired';
  if (record.charged_credit_milli !== null) return 'resolved';
  const uncollected = remaining > 0n ? await chargeExtra(tx, job, remaining) : 0n;
  await tx.db
    .updateTable('job_credits')
    .set({ charged_credit_milli: charge - uncollected, uncollected_credit_milli: uncollected })
    .where('job_id', '=', job.id)
    .execute();
  return 'resolved';
}

/**
 * Takes `extra` credits beyond the hold from what is free now (the current cycle's premium, then
 * add-on: the account's other holds stay covered); returns what they could not cover.
 */
async function chargeExtra(
  tx: TxContext,
  job: { id: string; account_id: string },
  extra: bigint,
): Promise<bigint> {
  const ids = await spendableAccountIds(tx, job.account_id);
  const rows = await lockAccounts(tx, ids);
  const revenue = creditRevenueAccountId(tx, job.account_id);
  const transfers: TransferInput[] = [];
  let remaining = extra;
  for (const id of ids) {
    const row = rows.get(id);
    const take = minBigint(remaining, row === undefined ? 0n : freeOf(row));
    if (take <= 0n) continue;
    remaining -= take;
    transfers.push({
      id: extraPartId(job.id, transfers.length),
      debit_account_id: id,
      credit_account_id: revenue,
      amount: take,
      code: TRANSFER_CODES.settle,
      reference: job.id,
    });
  }
  const results = await createTransfers(tx, transfers);
  assert(
    results.every((r) => r === 'ok'),
    `job ${job.id}: charging credits beyond the hold: ${results.join(',')}`,
  );
  return remaining;
}

/** The current cycle's premium account (if subscribed) and the add-on account, in draw order. */
async function spendableAccountIds(tx: TxContext, account_id: string): Promise<string[]> {
  const subscription = await getSubscription(tx.db, account_id);
  const addOn = addOnAccountId(account_id);
  if (subscription === null) return [addOn];
  return [premiumAccountId(account_id, subscription.cycle_number), addOn];
}

/** Releases the job's whole credit hold (a failure or a cancellation); an expired hold is a no-op. */
export async function releaseCredits(tx: TxContext, job: { id: string }): Promise<void> {
  const parts = await heldParts(tx, job.id);
  await applyResolution(
    tx,
    job.id,
    parts.map((part, index) => resolveTransfer(job.id, part, 0n, index < parts.length - 1)),
  );
  await tx.db
    .updateTable('job_credits')
    .set({ charged_credit_milli: 0n, uncollected_credit_milli: 0n })
    .where('job_id', '=', job.id)
    .where('charged_credit_milli', 'is', null)
    .execute();
}

function resolveTransfer(
  hold_id: string,
  part: HeldPart,
  charge: bigint,
  linked: boolean,
): TransferInput {
  return {
    id: resolvePartId(hold_id, part.index),
    pending_id: holdPartId(hold_id, part.index),
    amount: charge,
    flags:
      (charge > 0n ? TRANSFER_FLAGS.post_pending : TRANSFER_FLAGS.void_pending) |
      (linked ? TRANSFER_FLAGS.linked : 0n),
    code: charge > 0n ? TRANSFER_CODES.settle : TRANSFER_CODES.release,
    reference: hold_id,
  };
}

async function applyResolution(
  tx: TxContext,
  hold_id: string,
  transfers: TransferInput[],
): Promise<CreditOutcome> {
  if (transfers.length === 0) return 'resolved';
  const results = await createTransfers(tx, transfers);
  if (results.every((r) => r === 'ok' || r === 'exists')) return 'resolved';
  if (results.includes('pending_transfer_expired')) {
    // A linked chain fails whole when one part expired; void the parts one by one.
    for (const transfer of transfers) {
      const [result] = await createTransfers(tx, [
        {
          ...transfer,
          amount: 0n,
          flags: TRANSFER_FLAGS.void_pending,
          code: TRANSFER_CODES.release,
        },
      ]);
      assert(
        result === 'ok' || result === 'pending_transfer_expired' || result === 'exists',
        `releasing ${transfer.id} after expiry: ${result}`,
      );
    }
    return 'expired';
  }
  const resolvedElsewise = results.some(
    (r) =>
      r === 'pending_transfer_already_posted' ||
      r === 'pending_transfer_already_voided' ||
      r.startsWith('exists_with_different_'),
  );
  if (resolvedElsewise) {
    throw planError(
      'credit_hold_already_resolved',
      `The credit hold of ${hold_id} was already resolved.`,
    );
  }
  assert(false, `resolving credit hold ${hold_id} failed: ${results.join(',')}`);
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
