/**
 * Operator API schemas and renderings of customer accounts and API keys. Bodies reject unknown
 * fields; an API key is rendered without its secret, which only `renderNewApiKey` carries.
 */
import { Type } from 'typebox';
import type { Account } from '../../accounts/accounts.ts';
import type { ApiKey } from '../../auth/api-keys.ts';
import { AMOUNT_MICRO_USD_MAX, formatMicroUsd, parseUsdToMicroUsd } from '../../shared/money.ts';
import type { WalletBalance } from '../../wallets/balance.ts';
import { httpError } from '../errors.ts';
import { isoOf, nullableWithDefault } from './render.ts';
import { renderBalance } from './wallet.ts';

const NullableText = (maxLength: number) =>
  nullableWithDefault(Type.String({ minLength: 1, maxLength }));

export const AccountIdParams = Type.Object({
  account_id: Type.String({ minLength: 1, maxLength: 128 }),
});

/** A decimal USD string, exact to the micro-dollar (`parseOverdraftLimit` converts it). */
const OverdraftLimitUsd = Type.String({ minLength: 1, maxLength: 40, default: '0' });

export const UpdateAccountBody = Type.Object(
  { overdraft_limit_usd: OverdraftLimitUsd },
  { additionalProperties: false },
);

export function createAccountBodySchema(concurrent_jobs_max: number) {
  return Type.Object(
    {
      username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' }),
      email: nullableWithDefault(Type.String({ format: 'email', maxLength: 254 })),
      first_name: NullableText(100),
      last_name: NullableText(100),
      existing_avatar_iii_customer: Type.Boolean({ default: false }),
      enterprise: Type.Boolean({ default: false }),
      concurrency_limit: nullableWithDefault(
        Type.Integer({ minimum: 1, maximum: concurrent_jobs_max }),
      ),
      overdraft_limit_usd: OverdraftLimitUsd,
    },
    { additionalProperties: false },
  );
}

export const CreateApiKeyBody = Type.Object(
  { name: Type.Optional(nullableWithDefault(Type.String({ minLength: 1, maxLength: 100 }))) },
  { additionalProperties: false },
);

export const KeyIdParams = Type.Object({ key_id: Type.String({ minLength: 1, maxLength: 128 }) });

export function renderAccount(account: Account) {
  return {
    ...account,
    overdraft_limit_usd: formatMicroUsd(account.overdraft_limit_micro_usd),
    created_at: isoOf(account.created_at_ms),
  };
}

export function renderAccountWithBalance(found: { account: Account; balance: WalletBalance }) {
  return { ...renderAccount(found.account), wallet: renderBalance(found.balance) };
}

export function renderApiKey(key: ApiKey) {
  return {
    id: key.id,
    account_id: key.account_id,
    prefix: key.prefix,
    name: key.name,
    created_at_ms: key.created_at_ms,
    created_at: isoOf(key.created_at_ms),
    last_used_at_ms: key.last_used_at_ms,
    revoked_at_ms: key.revoked_at_ms,
    revoked: key.revoked_at_ms !== null,
  };
}

/** A key as created: the only rendering that includes the secret `key`. */
export function renderNewApiKey(key: ApiKey & { key: string }) {
  return { ...renderApiKey(key), key: key.key };
}

/** `overdraft_limit_usd` as micro-USD, or a 400 naming it (not a decimal, not exact, too large). */
export function parseOverdraftLimit(text: string): bigint {
  const amount = parseUsdToMicroUsd(text);
  if (amount === null || amount > AMOUNT_MICRO_USD_MAX) {
    throw httpError(
      'invalid_parameter',
      'overdraft_limit_usd must be a decimal string of USD exact to the micro-dollar, such as "25.00".',
      { param: 'overdraft_limit_usd' },
    );
  }
  return amount;
}
