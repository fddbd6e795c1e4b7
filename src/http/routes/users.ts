/**
 * `GET /v3/users/me`: the calling account's profile and billing, in HeyGen's shape (API.md §2)
 * with `billing_type: "wallet"`. `remaining_balance` is the available balance (posted balance
 * minus holds of jobs in flight) as a number of dollars, as HeyGen sends it; Tollgate adds exact
 * integer `_micro_usd` fields and the held, settled and posted amounts beside HeyGen's fields.
 * `auto_reload` is the wallet's auto-reload setting (`PATCH /billing/v1/auto-reload`). An OAuth
 * bearer token sees its web plan instead (`billing_type: "subscription"`, `schemas/subscription.ts`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Account } from '../../accounts/accounts.ts';
import { getAccount, getAccountWithBalance } from '../../accounts/accounts.ts';
import { readWebPlanCredits } from '../../plans/subscriptions.ts';
import { type AutoReloadSettings, getAutoReloadSettings } from '../../reload/settings.ts';
import { microUsdToUsdNumber } from '../../shared/money.ts';
import type { WalletBalance } from '../../wallets/balance.ts';
import { accountIdOf } from '../auth-hook.ts';
import { renderHeyGenAutoReload } from '../schemas/balance-settings.ts';
import { ok } from '../schemas/envelope.ts';
import { renderSubscriptionUser } from '../schemas/subscription.ts';
import { UserMe } from '../schemas/v3-responses.ts';
import type { RouteOptions } from '../server.ts';

export const userRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  app.get('/v3/users/me', { schema: { response: ok(UserMe) } }, async (request) => {
    const account_id = accountIdOf(request);
    // Only the calling credential's pool is filled: an OAuth token sees the web plan.
    if (request.principal?.kind === 'oauth') {
      const [account, credits] = await Promise.all([
        getAccount(ctx, account_id),
        readWebPlanCredits(ctx.db, account_id),
      ]);
      return { data: renderSubscriptionUser(account, credits) };
    }
    const [found, autoReload] = await Promise.all([
      getAccountWithBalance(ctx, account_id),
      getAutoReloadSettings(ctx.db, account_id),
    ]);
    return { data: renderUser(found, autoReload) };
  });
};

function renderUser(
  { account, balance }: { account: Account; balance: WalletBalance },
  autoReload: AutoReloadSettings,
) {
  return {
    username: account.username,
    email: account.email,
    first_name: account.first_name,
    last_name: account.last_name,
    billing_type: 'wallet',
    wallet: {
      currency: 'usd',
      remaining_balance: microUsdToUsdNumber(balance.available_micro_usd),
      auto_reload: renderHeyGenAutoReload(autoReload),
      remaining_balance_micro_usd: balance.available_micro_usd,
      held_usd: microUsdToUsdNumber(balance.held_micro_usd),
      held_micro_usd: balance.held_micro_usd,
      settled_usd: microUsdToUsdNumber(balance.settled_micro_usd),
      settled_micro_usd: balance.settled_micro_usd,
      posted_balance_usd: microUsdToUsdNumber(balance.posted_micro_usd),
      posted_balance_micro_usd: balance.posted_micro_usd,
    },
    subscription: null,
    usage_based: null,
  };
}
