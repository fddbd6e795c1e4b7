/**
 * Test helpers for the operator API and the account edges: an operator token, and customer
 * accounts with an API key (and its id) and optional funds, made through the domain functions
 * rather than the routes under test.
 */
import { createAccount } from '../src/accounts/accounts.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { ensureOperatorToken } from '../src/auth/operator-token.ts';
import { type AppContext, withTransaction } from '../src/context.ts';
import { assert } from '../src/shared/assert.ts';
import { grantFunds } from '../src/wallets/grants.ts';

export type KeyedAccount = {
  account_id: string;
  api_key: string;
  key_id: string;
  headers: Record<string, string>;
};

/** Generates the operator token (the context must have no TOLLGATE_ADMIN_TOKEN). */
export async function createOperatorToken(ctx: AppContext): Promise<string> {
  const token = await withTransaction(ctx, ensureOperatorToken);
  assert(token !== null, 'the test database has no operator token yet');
  return token;
}

export function operatorHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function createKeyedAccount(
  ctx: AppContext,
  options: { username: string; promotional_micro_usd?: bigint; paid_micro_usd?: bigint },
): Promise<KeyedAccount> {
  return withTransaction(ctx, async (tx) => {
    const account = await createAccount(tx, {
      username: options.username,
      email: `${options.username}@example.com`,
      first_name: 'Test',
      last_name: options.username,
      existing_avatar_iii_customer: false,
      enterprise: false,
      concurrency_limit: null,
    });
    const grants = [
      ['promotional', options.promotional_micro_usd] as const,
      ['paid', options.paid_micro_usd] as const,
    ];
    for (const [kind, amount_micro_usd] of grants) {
      if (amount_micro_usd === undefined) continue;
      await grantFunds(tx, { account_id: account.id, kind, amount_micro_usd, memo: null });
    }
    const key = await createApiKey(tx, { account_id: account.id, name: 'test' });
    return {
      account_id: account.id,
      api_key: key.key,
      key_id: key.id,
      headers: { 'x-api-key': key.key },
    };
  });
}
