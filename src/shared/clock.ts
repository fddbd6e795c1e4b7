/**
 * The only place that reads the time. Instants are `bigint` epoch milliseconds so comparisons
 * never mix number and bigint; tests use a fake clock they advance by hand.
 */
import { assert } from './assert.ts';

export type Clock = {
  now_ms: () => bigint;
};

export type FakeClock = Clock & {
  advance: (duration_ms: bigint) => void;
  set: (instant_ms: bigint) => void;
};

export function createSystemClock(): Clock {
  return { now_ms: () => BigInt(Date.now()) };
}

export function createFakeClock(start_ms = 1_795_000_000_000n): FakeClock {
  let current_ms = start_ms;
  return {
    now_ms: () => current_ms,
    advance: (duration_ms) => {
      assert(duration_ms >= 0n, 'a fake clock never goes backwards');
      current_ms += duration_ms;
    },
    set: (instant_ms) => {
      assert(instant_ms >= current_ms, 'a fake clock never goes backwards');
      current_ms = instant_ms;
    },
  };
}

/** Converts a bigint to a number for the few edges that need one (timers, Date); throws if inexact. */
export function toSafeNumber(value: bigint): number {
  assert(
    value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER),
    `toSafeNumber: ${value} is outside the safe integer range`,
  );
  return Number(value);
}
