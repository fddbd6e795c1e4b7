/**
 * API keys as a signed-in account user manages them: only the account's own keys. A key of
 * another account is `api_key_not_found`, exactly as an unknown key, so ids cannot be probed.
 */
import { type ApiKey, revokeApiKey } from '../auth/api-keys.ts';
import type { TxContext } from '../context.ts';
import { DomainError } from '../shared/errors.ts';

export async function revokeAccountApiKey(
  tx: TxContext,
  input: { account_id: string; key_id: string },
): Promise<ApiKey> {
  const row = await tx.db
    .selectFrom('api_keys')
    .select('account_id')
    .where('id', '=', input.key_id)
    .executeTakeFirst();
  if (row === undefined || row.account_id !== input.account_id) {
    throw new DomainError('api_key_not_found', `API key ${input.key_id} not found.`, {
      param: 'key_id',
    });
  }
  return revokeApiKey(tx, input.key_id);
}
