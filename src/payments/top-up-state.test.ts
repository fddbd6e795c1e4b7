import { describe, expect, it } from 'vitest';
import { nextCheckoutState, refundedAfter, reversalTarget, topUpStatus } from './top-up-state.ts';

const PAID = {
  amount_micro_usd: 25_000_000n,
  checkout_state: 'paid',
  refunded_micro_usd: 0n,
  dispute_state: null,
  disputed_micro_usd: 0n,
  credited_at_ms: 1n,
};

describe('top-up status and what is owed back', () => {
  it.each([
    [{ ...PAID, credited_at_ms: null, checkout_state: 'open' }, 'pending', 0n],
    [{ ...PAID, credited_at_ms: null, checkout_state: 'processing' }, 'pending', 0n],
    [{ ...PAID, credited_at_ms: null, checkout_state: 'failed' }, 'failed', 0n],
    [{ ...PAID, credited_at_ms: null, checkout_state: 'expired' }, 'expired', 0n],
    [{ ...PAID, credited_at_ms: null, refunded_micro_usd: 5_000_000n }, 'pending', 0n],
    [PAID, 'paid', 0n],
    [{ ...PAID, refunded_micro_usd: 5_000_000n }, 'partially_refunded', 5_000_000n],
    [{ ...PAID, refunded_micro_usd: 25_000_000n }, 'refunded', 25_000_000n],
    [{ ...PAID, dispute_state: 'open' }, 'disputed', 0n],
    [{ ...PAID, dispute_state: 'won' }, 'paid', 0n],
    [{ ...PAID, dispute_state: 'lost', disputed_micro_usd: 25_000_000n }, 'reversed', 25_000_000n],
    [
      {
        ...PAID,
        refunded_micro_usd: 5_000_000n,
        dispute_state: 'lost',
        disputed_micro_usd: 25_000_000n,
      },
      'reversed',
      25_000_000n,
    ],
  ] as const)('%o is %s and owes back %s', (row, status, owed) => {
    expect(topUpStatus(row)).toBe(status);
    expect(reversalTarget(row)).toBe(owed);
  });

  it('the checkout state only moves forward, and paid is final', () => {
    expect(nextCheckoutState('open', 'processing')).toBe('processing');
    expect(nextCheckoutState('processing', 'open')).toBe('processing');
    expect(nextCheckoutState('paid', 'processing')).toBe('paid');
    expect(nextCheckoutState('paid', 'failed')).toBe('paid');
    expect(nextCheckoutState('failed', 'paid')).toBe('paid');
  });

  it('a stale or repeated refund report never lowers the refunded amount; it is capped', () => {
    const row = { ...PAID, refunded_micro_usd: 10_000_000n };
    expect(refundedAfter(row, 5_000_000n)).toBe(10_000_000n);
    expect(refundedAfter(row, 15_000_000n)).toBe(15_000_000n);
    expect(refundedAfter(row, 99_000_000n)).toBe(25_000_000n);
  });
});
