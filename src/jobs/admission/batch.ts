/**
 * Batch-first admission: the group committer admits every queued admission of a lane with a
 * handful of set-based statements instead of one savepoint of ~15 statements per job. For a run
 * of admissions (`admitMany`):
 *
 * 1. lock every account row, one statement in id order (lock order step 2);
 * 2. price and quote each admission (rate cards and overrides come from the caches);
 * 3. read, one statement each: the slots in use per account, which API keys have a spending limit,
 *    the balance watch rows; then lock every wallet's ledger accounts in ONE statement in id order
 *    (lock order step 3, `lockWallets`);
 * 4. decide each admission in queue order in memory with `admitJob`'s rules (quote, slot, balance
 *    and draw order across grants, counting the slots and holds of the batch's earlier admissions);
 *    a refusal is that admission's outcome and writes nothing;
 * 5. write the survivors' holds through the ledger's `createTransfers` (one linked chain per job;
 *    every result must be `ok`: the ledger's rules stay the guard), their job rows in one insert,
 *    then each admission's `after` write (the stored idempotent response), in queue order.
 *
 * What this path covers: an API-key or CLI admission of a standalone asynchronous job (no parent,
 * not a container, not synchronous, no pool override) paying from the `wallet` pool, with or
 * without `test: true`, whose API key has no spending limit and whose wallet no balance watch
 * watches. Everything else (the web plan's credits, a postpaid account, a key with a spending
 * limit, a watched wallet, a child or container job, a synchronous job, several jobs of one
 * request via `admitJobs`) runs `admitJob` as today's unit (`runOne`), after the batch's covered
 * admissions: the same code, so the same behaviour. If an `after` write throws, the batch's writes
 * are rolled back and every admission of it runs as a unit (`RunAloneError`), so only the request
 * whose write failed is refused.
 */

import { isWatching } from '../../alerts/balance-watch.ts';
import { apiKeyIdOf, poolFor } from '../../billing/pools.ts';
import type { AppContext, TxContext } from '../../context.ts';
import { isRetryableTransactionError, whereIdIn } from '../../db/dialect.ts';
import type { BatchHandler, BatchOutcome } from '../../db/group-commit.ts';
import { RunAloneError } from '../../db/group-commit.ts';
import { prepareQuery } from '../../db/prepared.ts';
import type { TransferInput } from '../../ledger/transfers.ts';
import { createTransfers } from '../../ledger/transfers.ts';
import { assert } from '../../shared/assert.ts';
import { DomainError } from '../../shared/errors.ts';
import { planHold } from '../../wallets/holds.ts';
import { lockWallets } from '../../wallets/wallet-parts.ts';
import { lockAccountsForAdmission, otherSlotsInFlight, slotRefusal } from '../concurrency.ts';
import type { JobRow } from '../jobs.table.ts';
import { isSynchronous } from '../lifecycle.ts';
import type { Quote } from '../quote.ts';
import { type Admission, admitJob, newJobRow, priceAdmission } from '../submit.ts';
import { insertJobRows } from './job-rows.ts';

/** A write that must commit in the admission's transaction (an idempotent response). */
export type AfterAdmit = (tx: TxContext, job: JobRow) => Promise<void>;

export type AdmissionItem = { admission: Admission; after?: AfterAdmit };

/**
 * Admits `admission` in the next group commit, batched with the other queued admissions of its
 * lane, and runs `after` in the same transaction; resolves with the job once its row is durable.
 */
export function admitInBatch(
  ctx: Pick<AppContext, 'committer'>,
  admission: Admission,
  options: { after?: AfterAdmit } = {},
): Promise<JobRow> {
  return ctx.committer.batch(
    ADMISSION_BATCH,
    { admission, after: options.after },
    { account_id: admission.account_id },
  );
}

export const ADMISSION_BATCH: BatchHandler<AdmissionItem, JobRow> = {
  runMany: admitMany,
  runOne: async (tx, item) => {
    const job = await admitJob(tx, item.admission);
    await item.after?.(tx, job);
    return job;
  },
};

const KEYS_WITH_LIMITS = prepareQuery((db, dialect, p: { ids: readonly string[] }) =>
  db
    .selectFrom('api_key_spending_limits')
    .select('api_key_id')
    .where(whereIdIn(dialect, 'api_key_id', p.ids)),
);

const BALANCE_WATCHES = prepareQuery((db, dialect, p: { ids: readonly string[] }) =>
  db
    .selectFrom('balance_watches')
    .selectAll()
    .where(whereIdIn(dialect, 'account_id', p.ids)),
);

/** An admission the set-based path decides, with what it needs from step 2. */
type Planned = {
  index: number;
  admission: Admission;
  quote: Quote;
  holds: boolean;
  api_key_id: string | null;
  rate_override_id: string | null;
  engine: string;
};

async function admitMany(
  tx: TxContext,
  items: readonly AdmissionItem[],
): Promise<Array<BatchOutcome<JobRow>>> {
  const now_ms = tx.clock.now_ms();
  const outcomes: Array<BatchOutcome<JobRow>> = items.map(() => ({ alone: true }));
  const accounts = await lockAccountsForAdmission(
    tx,
    items.map((item) => item.admission.account_id),
  );
  const planned: Planned[] = [];
  for (const [index, { admission }] of items.entries()) {
    if (!isCovered(admission)) continue;
    const account = accounts.get(admission.account_id)!;
    const credential = admission.credential ?? null;
    if (poolFor(account.billing_type, credential) !== 'wallet') continue;
    try {
      const priced = await priceAdmission(tx, admission, account, now_ms);
      planned.push({
        index,
        admission,
        ...priced,
        holds: !priced.quote.test,
        api_key_id: apiKeyIdOf(credential),
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      outcomes[index] = { ok: false, err };
    }
  }
  const covered = await withoutLimitsOrWatches(tx, planned);
  const accountIds = unique(covered.map((p) => p.admission.account_id));
  const slots = await otherSlotsInFlight(tx, accountIds);
  const wallets = await lockWallets(
    tx,
    unique(covered.filter((p) => p.holds).map((p) => p.admission.account_id)),
  );

  const chains: TransferInput[][] = [];
  const admitted: Array<{ index: number; row: JobRow }> = [];
  const holdTtlMs = tx.config.limits.hold_ttl_ms;
  for (const plan of covered) {
    const { admission, quote } = plan;
    const account = accounts.get(admission.account_id)!;
    const inFlight = slots.get(account.id)!;
    const refusal = slotRefusal(account.concurrency_limit, inFlight, now_ms);
    if (refusal !== null) {
      outcomes[plan.index] = { ok: false, err: refusal };
      continue;
    }
    const id = tx.ids.newId(admission.product.id_prefix);
    if (plan.holds) {
      try {
        chains.push(
          planHold(
            wallets.get(account.id)!,
            {
              account_id: account.id,
              hold_id: id,
              amount_micro_usd: quote.hold_amount_micro_usd,
              timeout_ms: holdTtlMs,
            },
            { now_ms, revenue_shard_count: tx.config.limits.revenue_shard_count },
          ),
        );
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        outcomes[plan.index] = { ok: false, err };
        continue;
      }
    }
    inFlight.count += 1n;
    const row = newJobRow({
      id,
      now_ms,
      hold_ttl_ms: holdTtlMs,
      quote,
      holds: plan.holds,
      rate_override_id: plan.rate_override_id,
      request: admission,
      engine: plan.engine,
      billing_pool: 'wallet',
      api_key_id: plan.api_key_id,
    });
    admitted.push({ index: plan.index, row });
  }

  await applyHolds(tx, chains);
  await insertJobRows(
    tx,
    admitted.map((a) => a.row),
  );
  for (const { index, row } of admitted) {
    const after = items[index]!.after;
    if (after !== undefined) {
      try {
        await after(tx, row);
      } catch (err) {
        if (isRetryableTransactionError(err)) throw err;
        throw new RunAloneError('an admission of the batch failed its after-write', {
          cause: err,
        });
      }
    }
    outcomes[index] = { ok: true, value: row };
  }
  return outcomes;
}

/** What the set-based path decides itself (see the module header); the rest runs `admitJob`. */
function isCovered(admission: Admission): boolean {
  return (
    admission.parent_id == null &&
    admission.billing_pool === undefined &&
    admission.product.container !== true &&
    !isSynchronous(admission.product.kind)
  );
}

/** Drops (to `admitJob`) the holds whose API key has a spending limit or whose wallet is watched. */
async function withoutLimitsOrWatches(tx: TxContext, planned: Planned[]): Promise<Planned[]> {
  const holding = planned.filter((p) => p.holds);
  const keys = unique(holding.flatMap((p) => (p.api_key_id === null ? [] : [p.api_key_id])));
  const limited = new Set(
    keys.length === 0
      ? []
      : (await KEYS_WITH_LIMITS.execute(tx.db, { ids: keys })).map((r) => r.api_key_id),
  );
  const wallets = unique(holding.map((p) => p.admission.account_id));
  const watched = new Set(
    wallets.length === 0
      ? []
      : (await BALANCE_WATCHES.execute(tx.db, { ids: wallets }))
          .filter(isWatching)
          .map((r) => r.account_id),
  );
  return planned.filter(
    (p) =>
      !p.holds ||
      ((p.api_key_id === null || !limited.has(p.api_key_id)) &&
        !watched.has(p.admission.account_id)),
  );
}

/**
 * Applies the holds' chains through the ledger, in as few `createTransfers` batches as its size
 * limit allows (a chain is never split); every transfer must be `ok`.
 */
async function applyHolds(tx: TxContext, chains: TransferInput[][]): Promise<void> {
  const max = tx.config.limits.ledger_batch_size_max;
  let batch: TransferInput[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const results = await createTransfers(tx, batch);
    assert(
      results.every((result) => result === 'ok'),
      `batch admission: a hold failed after the balance check: ${results.join(',')}`,
    );
    batch = [];
  };
  for (const chain of chains) {
    if (batch.length + chain.length > max) await flush();
    batch.push(...chain);
  }
  await flush();
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
