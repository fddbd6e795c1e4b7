/**
 * An account's API keys as both key lists answer them (the operator's
 * `/admin/v1/accounts/{id}/api-keys` and the dashboard's `/dashboard/v1/api-keys`): every key,
 * revoked ones included, each with its spending limit and what it has spent.
 */
import { type ApiKey, listApiKeys } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { listKeySpendingLimits } from '../../key-limits/limits.ts';
import { renderApiKey } from '../schemas/accounts.ts';
import { renderSpendingLimit } from '../schemas/usage-based.ts';

export async function renderApiKeyList(ctx: AppContext, account_id: string) {
  const [keys, limits] = await Promise.all([
    listApiKeys(ctx, account_id),
    listKeySpendingLimits(ctx, account_id),
  ]);
  const render = (key: ApiKey) => ({
    ...renderApiKey(key),
    spending_limit: renderSpendingLimit(limits.get(key.id)),
  });
  return { data: keys.map(render) };
}
