/**
 * The benchmark's workload, shared by every phase so they do the same work: funded customer
 * wallets (no overdraft), revenue shards chosen by a hash of the wallet, and hold-then-settle
 * pairs (a pending transfer, then a post of a smaller amount). Both halves count as transfers.
 */
import { assert } from '../../src/shared/assert.ts';

export const WALLET_COUNT = 10_000;
export const REVENUE_SHARD_COUNT = 8;
export const CASH_ACCOUNT_ID = 'bench:cash';
export const WALLET_FUNDING_MICRO_USD = 1_000_000_000n;
export const HOLD_AMOUNT_MICRO_USD = 1_000n;
export const SETTLE_AMOUNT_MICRO_USD = 600n;
export const HOLD_TIMEOUT_MS = 60n * 60n * 1000n;
export const TRANSFERS_PER_PAIR = 2;

export function walletId(index: number): string {
  return `bench:wallet:${index}`;
}

export function revenueId(shard: number): string {
  return `bench:revenue:${shard}`;
}

/** A multiplicative hash (Knuth): spreads consecutive integers over the range. */
function mix(value: number): number {
  return Math.imul(value ^ (value >>> 15), 0x2c1b3c6d) >>> 0;
}

/** Pair `n` of a run: which wallet pays and which revenue shard receives. */
export type Pair = {
  hold_id: string;
  settle_id: string;
  wallet_id: string;
  revenue_id: string;
};

/** Which of `count` wallets pair `n` draws on: spread by a hash, so callers touch random ones. */
export function walletIndexAt(n: number, count: number = WALLET_COUNT): number {
  return mix(n) % count;
}

/** `shardCount` 1 sends every pair to one revenue account (the naive hot row). */
export function pairAt(options: { run_tag: string; n: number; shard_count: number }): Pair {
  const walletIndex = walletIndexAt(options.n);
  const shard = mix(walletIndex + 0x9e37) % options.shard_count;
  return {
    hold_id: `${options.run_tag}:h:${options.n}`,
    settle_id: `${options.run_tag}:s:${options.n}`,
    wallet_id: walletId(walletIndex),
    revenue_id: revenueId(shard),
  };
}

/** `BENCH_SCALE` (default 1) scales every phase's transfer count, for a quick run. */
export function readScale(env: Record<string, string | undefined>): number {
  const scale = Number(env.BENCH_SCALE ?? '1');
  assert(Number.isFinite(scale) && scale > 0 && scale <= 10, 'BENCH_SCALE must be in (0, 10]');
  return scale;
}

/** A pair count for a phase: `transferCount` transfers, scaled, at least 100 pairs. */
export function pairCountOf(transferCount: number, scale: number): number {
  return Math.max(100, Math.round((transferCount * scale) / TRANSFERS_PER_PAIR));
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export type Measurement = { transfer_count: number; elapsed_ms: number; transfers_per_s: number };

/** Runs `fn` (which performs `pairCount` pairs) and returns its throughput in transfers/s. */
export async function measurePairs(
  pairCount: number,
  fn: () => Promise<void> | void,
): Promise<Measurement> {
  const started_ms = performance.now();
  await fn();
  const elapsed_ms = performance.now() - started_ms;
  const transfer_count = pairCount * TRANSFERS_PER_PAIR;
  return { transfer_count, elapsed_ms, transfers_per_s: (transfer_count * 1000) / elapsed_ms };
}

/** One run of a load: `pair_count` pairs with ids tagged `run_tag`. */
export type LoadOptions = {
  run_tag: string;
  pair_count: number;
  caller_count: number;
  shard_count: number;
};

/**
 * Runs pairs `0 .. pair_count - 1` over `caller_count` concurrent async callers, each taking the
 * next pair number when its previous pair is done. The first failure stops every caller.
 */
export async function runCallers(
  options: LoadOptions,
  runPair: (n: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let doneCount = 0;
  let failed = false;
  const reportEvery = Math.max(1, Math.floor(options.pair_count / 4));
  const caller = async (): Promise<void> => {
    for (let n = next++; n < options.pair_count && !failed; n = next++) {
      try {
        await runPair(n);
      } catch (err) {
        failed = true;
        throw err;
      }
      doneCount++;
      if (doneCount % reportEvery === 0) progress(`  ${options.run_tag}: ${doneCount} pairs done`);
    }
  };
  // Waits for every caller, so nothing is still writing when the caller cleans up.
  const outcomes = await Promise.allSettled(Array.from({ length: options.caller_count }, caller));
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}
