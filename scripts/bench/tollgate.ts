/**
 * Phase (b): Tollgate's ledger under load. Many async callers loop, each doing one
 * hold-then-settle pair at a time through `ctx.committer.createTransfers`, so concurrent calls
 * meet in group commits. Every result must be `ok`; anything else stops the benchmark.
 */
import type { AppContext } from '../../src/context.ts';
import { TRANSFER_CODES, TRANSFER_FLAGS } from '../../src/ledger/codes.ts';
import { assertAllOk } from './setup.ts';
import {
  HOLD_AMOUNT_MICRO_USD,
  HOLD_TIMEOUT_MS,
  type LoadOptions,
  pairAt,
  runCallers,
  SETTLE_AMOUNT_MICRO_USD,
} from './workload.ts';

async function holdThenSettle(ctx: AppContext, options: LoadOptions, n: number): Promise<void> {
  const pair = pairAt({ run_tag: options.run_tag, n, shard_count: options.shard_count });
  const held = await ctx.committer.createTransfers([
    {
      id: pair.hold_id,
      debit_account_id: pair.wallet_id,
      credit_account_id: pair.revenue_id,
      amount: HOLD_AMOUNT_MICRO_USD,
      flags: TRANSFER_FLAGS.pending,
      timeout_ms: HOLD_TIMEOUT_MS,
      code: TRANSFER_CODES.hold,
    },
  ]);
  assertAllOk('tollgate hold', held);
  const settled = await ctx.committer.createTransfers([
    {
      id: pair.settle_id,
      pending_id: pair.hold_id,
      amount: SETTLE_AMOUNT_MICRO_USD,
      flags: TRANSFER_FLAGS.post_pending,
      code: TRANSFER_CODES.settle,
    },
  ]);
  assertAllOk('tollgate settle', settled);
}

/** Runs `pair_count` pairs over `caller_count` concurrent callers; resolves when all are done. */
export async function runTollgateLoad(ctx: AppContext, options: LoadOptions): Promise<void> {
  await runCallers(options, (n) => holdThenSettle(ctx, options, n));
}
