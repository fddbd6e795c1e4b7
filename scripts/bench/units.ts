/**
 * Phase (d): what production runs. Admission and settlement of a job each run as ONE unit of the
 * group committer (`ctx.committer.run`, a savepoint in a shared transaction, see
 * `src/jobs/submit.ts` and `src/jobs/settle.ts`): the unit locks the customer's wallet, checks
 * the balance and writes the hold (`holdFunds`), and later settles it (`settleHold`). Many async
 * callers loop over hold-then-settle pairs on customer accounts created through
 * `createAccount` and funded through `grantFunds`, exactly as the gateway's are. Unlike phase
 * (b), whose transfers are merged into one `createTransfers` batch per commit, no request can be
 * faster than this path today.
 */
import type { AppContext } from '../../src/context.ts';
import { holdFunds, settleHold } from '../../src/wallets/holds.ts';
import {
  HOLD_AMOUNT_MICRO_USD,
  HOLD_TIMEOUT_MS,
  type LoadOptions,
  runCallers,
  SETTLE_AMOUNT_MICRO_USD,
  walletIndexAt,
} from './workload.ts';

async function holdThenSettle(ctx: AppContext, account_id: string, hold_id: string): Promise<void> {
  await ctx.committer.run((tx) =>
    holdFunds(tx, {
      account_id,
      hold_id,
      amount_micro_usd: HOLD_AMOUNT_MICRO_USD,
      timeout_ms: HOLD_TIMEOUT_MS,
    }),
  );
  const outcome = await ctx.committer.run((tx) =>
    settleHold(tx, { hold_id, amount_micro_usd: SETTLE_AMOUNT_MICRO_USD }),
  );
  if (outcome !== 'resolved') throw new Error(`units: hold ${hold_id} settled as "${outcome}"`);
}

/** Runs `pair_count` hold-then-settle pairs over `account_ids`; resolves when all are done. */
export async function runUnitsLoad(
  ctx: AppContext,
  account_ids: readonly string[],
  options: LoadOptions,
): Promise<void> {
  await runCallers(options, (n) => {
    const account_id = account_ids[walletIndexAt(n, account_ids.length)]!;
    return holdThenSettle(ctx, account_id, `${options.run_tag}:job:${n}`);
  });
}
