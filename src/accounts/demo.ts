/**
 * The demo account made on the first start of an empty database (unless `TOLLGATE_DEMO=0`), so a
 * newcomer can call the API at once: username `demo`, one API key, a $25.00 promotional grant,
 * the `creator` web plan for OAuth clients, and a user (`demo@example.com` with a generated
 * password) who can sign in to OAuth clients and the dashboard. A marker in `settings` makes the
 * decision once, even when several nodes start together: the node whose marker insert wins
 * decides, the others find the marker and do nothing.
 */

import { createApiKey } from '../auth/api-keys.ts';
import type { TxContext } from '../context.ts';
import { subscribe } from '../plans/subscriptions.ts';
import { insertUser, prepareUser } from '../users/users.ts';
import { grantFunds } from '../wallets/grants.ts';
import { type Account, createAccount } from './accounts.ts';

export const DEMO_USERNAME = 'demo';
export const DEMO_GRANT_MICRO_USD = 25_000_000n;
export const DEMO_USER_EMAIL = 'demo@example.com';
/** Random bytes of the demo user's generated password (16 base64url characters). */
const DEMO_PASSWORD_BYTES = 12;
/** The demo account's web plan, billed by OAuth bearer tokens (`plans/`). */
export const DEMO_PLAN_ID = 'creator';
/** `settings` key: the demo account's id once made, or `none` when the database was not empty. */
const DEMO_SETTING_KEY = 'demo_account_id';

export type DemoAccount = {
  account: Account;
  api_key: string;
  grant_micro_usd: bigint;
  /** The demo user's sign-in; the password is in clear this once. */
  user: { email: string; password: string };
};

/**
 * Creates the demo account if the demo is on, this database has never decided about it, and it
 * has no accounts yet; else returns `null`. The API key and the user's password are returned in
 * clear this once (the password is hashed inside this transaction, once per database).
 */
export async function ensureDemoAccount(tx: TxContext): Promise<DemoAccount | null> {
  if (!tx.config.demo_enabled) return null;
  const marked = await tx.db
    .insertInto('settings')
    .values({ key: DEMO_SETTING_KEY, value: 'none' })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .executeTakeFirst();
  if (marked.numInsertedOrUpdatedRows !== 1n) return null;
  const existing = await tx.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  if (existing !== undefined) return null;
  const account = await createAccount(tx, {
    username: DEMO_USERNAME,
    email: 'demo@example.com',
    first_name: 'Demo',
    last_name: 'User',
    existing_avatar_iii_customer: false,
    enterprise: false,
    concurrency_limit: null,
  });
  const key = await createApiKey(tx, { account_id: account.id, name: 'demo' });
  await grantFunds(tx, {
    account_id: account.id,
    kind: 'promotional',
    amount_micro_usd: DEMO_GRANT_MICRO_USD,
    memo: 'Demo credit',
  });
  const password = tx.ids.newSecret(DEMO_PASSWORD_BYTES);
  const user = await prepareUser({ account_id: account.id, email: DEMO_USER_EMAIL, password });
  await insertUser(tx, { ...user, name: 'Demo User' });
  // The web plan its OAuth users spend (API keys spend the grant above).
  await subscribe(tx, { account_id: account.id, plan_id: DEMO_PLAN_ID });
  await tx.db
    .updateTable('settings')
    .set({ value: account.id })
    .where('key', '=', DEMO_SETTING_KEY)
    .execute();
  return {
    account,
    api_key: key.key,
    grant_micro_usd: DEMO_GRANT_MICRO_USD,
    user: { email: DEMO_USER_EMAIL, password },
  };
}
