/**
 * The order money leaves a wallet. Spending (a hold) draws promotional credit before paid money;
 * within a kind, the higher priority first; then the soonest expiry (no expiry last); then the
 * oldest grant; the ledger account id breaks the last tie, so the order is total and every node
 * computes the same one. The two pools (money from before grant terms) have the lowest priority
 * and no expiry, so they are drawn last within their kind. A debit (`debit.ts`) takes paid money
 * before promotional (it reverses money paid in), then in the same order. A grant past its expiry
 * gives nothing, even before the sweep has expired it; the debt account is never drawn from.
 */
import type { WalletKind } from './wallet-accounts.ts';
import { availableOf, isPastExpiry, type WalletPart } from './wallet-parts.ts';

export type Draw = { part: WalletPart; amount: bigint };

/** What a part can give now. */
export function drawableOf(part: WalletPart, now_ms: bigint): bigint {
  if (part.kind === null || isPastExpiry(part, now_ms)) return 0n;
  const available = availableOf(part.row);
  return available > 0n ? available : 0n;
}

function compareTerms(a: WalletPart, b: WalletPart): number {
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  if (a.expires_at_ms !== b.expires_at_ms) {
    if (a.expires_at_ms === null) return 1;
    if (b.expires_at_ms === null) return -1;
    return a.expires_at_ms < b.expires_at_ms ? -1 : 1;
  }
  if (a.opened_at_ms !== b.opened_at_ms) return a.opened_at_ms < b.opened_at_ms ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function inOrder(parts: readonly WalletPart[], kinds: readonly WalletKind[]): WalletPart[] {
  return kinds.flatMap((kind) => parts.filter((part) => part.kind === kind).sort(compareTerms));
}

/** The order a hold draws in: promotional, then paid; each by priority, expiry, age. */
export function inSpendOrder(parts: readonly WalletPart[]): WalletPart[] {
  return inOrder(parts, ['promotional', 'paid']);
}

/** The order a debit takes in: paid, then promotional; each by priority, expiry, age. */
export function inDebitOrder(parts: readonly WalletPart[]): WalletPart[] {
  return inOrder(parts, ['paid', 'promotional']);
}

/**
 * Takes up to `amount` from `ordered`, each part giving what it can. Returns the draws (only
 * positive ones) and what was left untaken.
 */
export function drawFrom(
  ordered: readonly WalletPart[],
  amount: bigint,
  now_ms: bigint,
): { draws: Draw[]; untaken: bigint } {
  const draws: Draw[] = [];
  let remaining = amount;
  for (const part of ordered) {
    if (remaining === 0n) break;
    const drawable = drawableOf(part, now_ms);
    let take = drawable;
    if (remaining < take) take = remaining;
    if (take > 0n) draws.push({ part, amount: take });
    remaining -= take;
  }
  return { draws, untaken: remaining };
}
