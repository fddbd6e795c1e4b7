/**
 * The authorization server's secrets, generated once per database and kept in `settings`: the
 * keys that sign its cookies (random, from `ids.newSecret`) and the RSA key that signs ID tokens
 * (a JWK). Insert-if-absent, so nodes starting together agree on one set: each node inserts its
 * own candidate and then reads what won.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { BaseContext } from '../context.ts';
import { assert } from '../shared/assert.ts';

const SETTING_KEY = 'oauth_keys';
const COOKIE_KEY_BYTES = 32;
const RSA_MODULUS_BITS = 2048;

export type OAuthKeys = { cookie_keys: string[]; jwks: { keys: JsonWebKey[] } };

/** The stored keys, generated and stored first if this database has none. */
export async function ensureOAuthKeys(ctx: BaseContext): Promise<OAuthKeys> {
  const stored = await readKeys(ctx);
  if (stored !== null) return stored;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: ctx.ids.newId('key'), use: 'sig' };
  const candidate: OAuthKeys = {
    cookie_keys: [ctx.ids.newSecret(COOKIE_KEY_BYTES)],
    jwks: { keys: [jwk] },
  };
  await ctx.db
    .insertInto('settings')
    .values({ key: SETTING_KEY, value: JSON.stringify(candidate) })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  const winner = await readKeys(ctx);
  assert(winner !== null, 'the OAuth keys are stored once inserted');
  return winner;
}

async function readKeys(ctx: BaseContext): Promise<OAuthKeys | null> {
  const row = await ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SETTING_KEY)
    .executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.value) as OAuthKeys);
}
