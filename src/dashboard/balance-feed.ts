/**
 * The live balance behind the dashboard's Server-Sent Events: subscribers name an account and are
 * told its wallet balance at once and again whenever the ledger changes it (a hold, a settlement,
 * a release, a grant, a refund, from any gateway node). While anyone is subscribed, one bounded
 * statement per tick reads a fingerprint of the subscribed wallets' ledger accounts (their summed
 * pending and posted columns, one row per account, over the `owner_id` index); only the accounts
 * whose fingerprint moved are read in full and told. Nothing runs while nobody listens. Reading
 * the ledger (rather than an in-process signal) is what makes a change on another node, or by the
 * CLI, reach the browser too.
 */
import type { BaseContext } from '../context.ts';
import { ACCOUNT_CODES } from '../ledger/codes.ts';
import { assert } from '../shared/assert.ts';
import { getWalletBalance, type WalletBalance } from '../wallets/balance.ts';

/** Accounts one process follows at once; a subscription past this is refused (the SSE route 429s). */
export const FOLLOWED_ACCOUNTS_MAX = 10_000;

export type BalanceListener = (balance: WalletBalance) => void;

export type BalanceFeed = {
  /** Follows the account; null when the process already follows `FOLLOWED_ACCOUNTS_MAX`. */
  subscribe: (account_id: string, listener: BalanceListener) => (() => void) | null;
  close: () => void;
};

type Followed = { listeners: Set<BalanceListener>; fingerprint: string | null };

export function createBalanceFeed(ctx: BaseContext, options: { tick_ms: number }): BalanceFeed {
  const followed = new Map<string, Followed>();
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;

  const tell = async (account_id: string, entry: Followed) => {
    const balance = await getWalletBalance(ctx.db, account_id, ctx.clock.now_ms());
    for (const listener of entry.listeners) listener(balance);
  };

  const firstRead = async (account_id: string, entry: Followed) => {
    if (entry.fingerprint === null) {
      const fingerprints = await readFingerprints(ctx, [account_id]);
      entry.fingerprint ??= fingerprints.get(account_id) ?? 'none';
    }
    return getWalletBalance(ctx.db, account_id, ctx.clock.now_ms());
  };

  const tick = async () => {
    if (ticking || followed.size === 0) return;
    ticking = true;
    try {
      const fingerprints = await readFingerprints(ctx, [...followed.keys()]);
      for (const [account_id, entry] of followed) {
        const fingerprint = fingerprints.get(account_id) ?? 'none';
        if (fingerprint === entry.fingerprint) continue;
        entry.fingerprint = fingerprint;
        await tell(account_id, entry);
      }
    } catch (err) {
      ctx.log.warn({ err }, 'balance feed: reading the ledger failed; retrying next tick');
    } finally {
      ticking = false;
    }
  };

  const stopIfIdle = () => {
    if (followed.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  return {
    subscribe(account_id, listener) {
      let entry = followed.get(account_id);
      if (entry === undefined) {
        if (followed.size >= FOLLOWED_ACCOUNTS_MAX) return null;
        entry = { listeners: new Set(), fingerprint: null };
        followed.set(account_id, entry);
      }
      entry.listeners.add(listener);
      // The first message carries the balance as it stands; later ones only changes. The
      // fingerprint is read before the balance, so a change between the two is told again by the
      // next tick (a repeat), never missed.
      void firstRead(account_id, entry).then(
        (balance) => listener(balance),
        (err) => ctx.log.warn({ err }, 'balance feed: the first read failed'),
      );
      timer ??= setInterval(() => void tick(), options.tick_ms);
      timer.unref();
      return () => {
        const current = followed.get(account_id);
        if (current === undefined) return;
        current.listeners.delete(listener);
        if (current.listeners.size === 0) followed.delete(account_id);
        stopIfIdle();
      };
    },
    close() {
      followed.clear();
      stopIfIdle();
    },
  };
}

/** Accounts per fingerprint statement, well under every driver's bound-parameter limit. */
const FINGERPRINT_BATCH_MAX = 1_000;

async function readFingerprints(
  ctx: BaseContext,
  account_ids: string[],
): Promise<Map<string, string>> {
  assert(account_ids.length <= FOLLOWED_ACCOUNTS_MAX, 'followed accounts bounded');
  const fingerprints = new Map<string, string>();
  for (let start = 0; start < account_ids.length; start += FINGERPRINT_BATCH_MAX) {
    const batch = account_ids.slice(start, start + FINGERPRINT_BATCH_MAX);
    const rows = await ctx.db
      .selectFrom('ledger_accounts')
      .select((eb) => [
        'owner_id',
        eb.fn.countAll<bigint | string>().as('parts'),
        eb.fn.sum<bigint | string>('debits_pending').as('debits_pending'),
        eb.fn.sum<bigint | string>('debits_posted').as('debits_posted'),
        eb.fn.sum<bigint | string>('credits_posted').as('credits_posted'),
      ])
      .where('owner_id', 'in', batch)
      .where('code', '=', ACCOUNT_CODES.customer_wallet)
      .groupBy('owner_id')
      .execute();
    for (const row of rows) {
      const values = [row.parts, row.debits_pending, row.debits_posted, row.credits_posted];
      fingerprints.set(String(row.owner_id), values.map(String).join(':'));
    }
  }
  return fingerprints;
}
