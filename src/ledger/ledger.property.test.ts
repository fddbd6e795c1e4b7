/**
 * Randomized model test: long random sequences of pendings, posts, voids, overruns, expiries,
 * duplicates and bad inputs, checked after every step against a plain in-memory model of the
 * balances and against the reconciliation invariants (debits equal credits per currency, every
 * balance equals the sum of its transfers, no overdraft beyond flagged overruns, no pending
 * resolved twice).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestContext, dialects, type TestContext } from '../../test/harness.ts';
import { withTransaction } from '../context.ts';
import { TRANSFER_FLAGS } from './codes.ts';
import { expirePendingTransfers } from './expire.ts';
import { reconcileLedger } from './reconcile.ts';
import { account, balancesOf, setupAccounts, submit, transfer, wallet } from './test-support.ts';

const WALLETS = ['w0', 'w1', 'w2'] as const;

type Op =
  | { kind: 'fund'; wallet: number; amount: bigint }
  | { kind: 'hold'; wallet: number; amount: bigint; timeout_ms: bigint }
  | { kind: 'post'; hold: number; amount: bigint; overrun: boolean }
  | { kind: 'void'; hold: number }
  | { kind: 'spend'; wallet: number; amount: bigint }
  | { kind: 'advance'; duration_ms: bigint }
  | { kind: 'repeat'; index: number }
  | { kind: 'bad'; variant: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('fund' as const),
    wallet: fc.nat(2),
    amount: fc.bigInt(1n, 5_000n),
  }),
  fc.record({
    kind: fc.constant('hold' as const),
    wallet: fc.nat(2),
    amount: fc.bigInt(1n, 3_000n),
    timeout_ms: fc.constantFrom(0n, 1_000n, 10_000n),
  }),
  fc.record({
    kind: fc.constant('post' as const),
    hold: fc.nat(50),
    amount: fc.bigInt(1n, 4_000n),
    overrun: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('void' as const), hold: fc.nat(50) }),
  fc.record({
    kind: fc.constant('spend' as const),
    wallet: fc.nat(2),
    amount: fc.bigInt(1n, 3_000n),
  }),
  fc.record({ kind: fc.constant('advance' as const), duration_ms: fc.bigInt(0n, 6_000n) }),
  fc.record({ kind: fc.constant('repeat' as const), index: fc.nat(200) }),
  fc.record({ kind: fc.constant('bad' as const), variant: fc.nat(3) }),
);

type ModelHold = {
  id: string;
  wallet: string;
  amount: bigint;
  expires_at_ms: bigint | null;
  open: boolean;
};
type Model = { available: Map<string, bigint>; posted: Map<string, bigint>; holds: ModelHold[] };

async function runSequence(ctx: TestContext, ops: Op[]): Promise<void> {
  const model: Model = {
    available: new Map(WALLETS.map((w) => [w, 0n])),
    posted: new Map(),
    holds: [],
  };
  const sent: Parameters<typeof submit>[1] = [];
  let step = 0;
  for (const op of ops) {
    step++;
    const id = `t${step}`;
    const now = ctx.clock.now_ms();
    if (op.kind === 'advance') {
      ctx.clock.advance(op.duration_ms);
      const expired = await withTransaction(ctx, (tx) =>
        expirePendingTransfers(tx, { limit: 100 }),
      );
      const due = model.holds.filter(
        (h) => h.open && h.expires_at_ms !== null && h.expires_at_ms <= ctx.clock.now_ms(),
      );
      expect(expired.map((e) => e.transfer_id).sort()).toEqual(due.map((h) => h.id).sort());
      for (const hold of due) {
        hold.open = false;
        model.available.set(hold.wallet, model.available.get(hold.wallet)! + hold.amount);
      }
    } else if (op.kind === 'fund') {
      const w = WALLETS[op.wallet]!;
      const input = transfer(id, {
        debit_account_id: 'cash',
        credit_account_id: w,
        amount: op.amount,
      });
      expect(await submit(ctx, [input])).toEqual(['ok']);
      sent.push(input);
      model.available.set(w, model.available.get(w)! + op.amount);
    } else if (op.kind === 'hold' || op.kind === 'spend') {
      const w = WALLETS[op.wallet]!;
      const flags = op.kind === 'hold' ? TRANSFER_FLAGS.pending : 0n;
      const timeout_ms = op.kind === 'hold' ? op.timeout_ms : 0n;
      const input = transfer(id, {
        debit_account_id: w,
        credit_account_id: 'revenue',
        amount: op.amount,
        flags,
        timeout_ms,
      });
      const fits = model.available.get(w)! >= op.amount;
      expect(await submit(ctx, [input])).toEqual([fits ? 'ok' : 'exceeds_credits']);
      if (fits) {
        sent.push(input);
        model.available.set(w, model.available.get(w)! - op.amount);
        if (op.kind === 'hold') {
          model.holds.push({
            id,
            wallet: w,
            amount: op.amount,
            open: true,
            expires_at_ms: timeout_ms > 0n ? now + timeout_ms : null,
          });
        }
      }
    } else if (op.kind === 'post' || op.kind === 'void') {
      const hold = model.holds[op.hold % Math.max(1, model.holds.length)];
      if (hold === undefined) continue;
      const voiding = op.kind === 'void';
      const amount = voiding ? 0n : op.amount;
      const flags = voiding
        ? TRANSFER_FLAGS.void_pending
        : TRANSFER_FLAGS.post_pending |
          (op.kind === 'post' && op.overrun ? TRANSFER_FLAGS.overrun : 0n);
      const input = transfer(id, { pending_id: hold.id, amount, flags });
      const [result] = await submit(ctx, [input]);
      if (result === 'ok') sent.push(input);
      const expiredNow = hold.expires_at_ms !== null && now >= hold.expires_at_ms;
      if (!hold.open) {
        expect(result).toMatch(/^pending_transfer_(already_posted|already_voided|expired)$/);
      } else if (expiredNow) {
        expect(result).toBe('pending_transfer_expired');
        hold.open = false;
        model.available.set(hold.wallet, model.available.get(hold.wallet)! + hold.amount);
      } else if (!voiding && amount > hold.amount && !(op.kind === 'post' && op.overrun)) {
        expect(result).toBe('exceeds_pending_transfer_amount');
      } else {
        expect(result).toBe('ok');
        hold.open = false;
        model.available.set(
          hold.wallet,
          model.available.get(hold.wallet)! + hold.amount - (voiding ? 0n : amount),
        );
      }
    } else if (op.kind === 'repeat') {
      const previous = sent[op.index % Math.max(1, sent.length)];
      if (previous === undefined) continue;
      expect(await submit(ctx, [previous])).toEqual(['exists']);
    } else {
      const bad = [
        transfer(id, { debit_account_id: 'w0', credit_account_id: 'revenue', amount: 0n }),
        transfer(id, { debit_account_id: 'ghost', credit_account_id: 'revenue', amount: 1n }),
        transfer(id, { debit_account_id: 'w0', credit_account_id: 'credits', amount: 1n }),
        transfer('bad id', { debit_account_id: 'w0', credit_account_id: 'revenue', amount: 1n }),
      ][op.variant]!;
      expect((await submit(ctx, [bad]))[0]).not.toMatch(/^(ok|exists)$/);
    }
    for (const w of WALLETS) {
      const b = await balancesOf(ctx, w);
      expect(b.credits_posted - b.debits_posted - b.debits_pending).toBe(model.available.get(w));
    }
    const report = await reconcileLedger(ctx.db);
    expect(
      report.ok,
      JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).toBe(true);
  }
}

describe.each(dialects)('ledger model test on %s', (dialect) => {
  it('random sequences keep every balance equal to the model and the ledger reconciled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 40 }), async (ops) => {
        const ctx = await createTestContext(dialect);
        try {
          await setupAccounts(ctx, [
            account('cash'),
            account('revenue'),
            ...WALLETS.map((w) => wallet(w)),
            wallet('credits', 'credit_milli'),
          ]);
          await runSequence(ctx, ops);
        } finally {
          await ctx.close();
        }
      }),
      { numRuns: dialect === 'sqlite' ? 25 : 10 },
    );
  }, 120_000);
});
