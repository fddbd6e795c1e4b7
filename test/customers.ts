/**
 * Test customers for the video and billing tests, made with the domain functions directly (not
 * through the operator API): an account with an API key, eligibility flags and optional funds.
 */
import { createAccount } from '../src/accounts/accounts.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { type AppContext, withTransaction } from '../src/context.ts';
import { getWalletBalance, type WalletBalance } from '../src/wallets/balance.ts';
import { grantFunds } from '../src/wallets/grants.ts';
import type { TestContext } from './harness.ts';

export type Customer = {
  account_id: string;
  api_key: string;
  api_key_id: string;
  /** `x-api-key` headers for `inject()`. */
  headers: Record<string, string>;
};

export type CustomerOptions = {
  username?: string;
  paid_micro_usd?: bigint;
  promotional_micro_usd?: bigint;
  existing_avatar_iii_customer?: boolean;
  enterprise?: boolean;
  concurrency_limit?: number | null;
  overdraft_limit_micro_usd?: bigint;
};

export async function createCustomer(
  ctx: TestContext,
  options: CustomerOptions = {},
): Promise<Customer> {
  return withTransaction(ctx, async (tx) => {
    const account = await createAccount(tx, {
      username: options.username ?? 'ada',
      email: `${options.username ?? 'ada'}@example.com`,
      first_name: 'Test',
      last_name: options.username ?? 'ada',
      existing_avatar_iii_customer: options.existing_avatar_iii_customer ?? false,
      enterprise: options.enterprise ?? false,
      concurrency_limit: options.concurrency_limit ?? null,
      overdraft_limit_micro_usd: options.overdraft_limit_micro_usd ?? 0n,
    });
    const grants = [
      ['paid', options.paid_micro_usd ?? 0n],
      ['promotional', options.promotional_micro_usd ?? 0n],
    ] as const;
    for (const [kind, amount_micro_usd] of grants) {
      if (amount_micro_usd > 0n) {
        await grantFunds(tx, { account_id: account.id, kind, amount_micro_usd, memo: null });
      }
    }
    const key = await createApiKey(tx, { account_id: account.id, name: 'test' });
    return {
      account_id: account.id,
      api_key: key.key,
      api_key_id: key.id,
      headers: { 'x-api-key': key.key },
    };
  });
}

export function balanceOf(ctx: AppContext, customer: Customer): Promise<WalletBalance> {
  return getWalletBalance(ctx.db, customer.account_id);
}
