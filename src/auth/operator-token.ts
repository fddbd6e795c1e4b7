/**
 * The operator token for `/admin/v1`. Taken from `TOLLGATE_ADMIN_TOKEN` when set; otherwise
 * generated on the first start, stored as a SHA-256 hash in `settings`, and returned once so
 * `main.ts` can print it. Comparison is constant-time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BaseContext, TxContext } from '../context.ts';

const SETTING_KEY = 'operator_token_sha256';
const TOKEN_SECRET_BYTES = 32;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Makes sure an operator token exists. Returns the new token in clear when one was generated now
 * (first start without `TOLLGATE_ADMIN_TOKEN`), else `null`.
 */
export async function ensureOperatorToken(tx: TxContext): Promise<string | null> {
  if (tx.config.admin_token !== null) return null;
  const token = `tgop_${tx.ids.newSecret(TOKEN_SECRET_BYTES)}`;
  // Insert-if-absent: of several nodes starting at once on one database, exactly one stores
  // (and prints) its token; the others keep the stored one.
  const inserted = await tx.db
    .insertInto('settings')
    .values({ key: SETTING_KEY, value: sha256(token).toString('hex') })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .executeTakeFirst();
  return inserted.numInsertedOrUpdatedRows === 1n ? token : null;
}

/** True when `token` is the operator token. */
export async function verifyOperatorToken(ctx: BaseContext, token: string): Promise<boolean> {
  const given = sha256(token);
  if (ctx.config.admin_token !== null)
    return timingSafeEqual(given, sha256(ctx.config.admin_token));
  const stored = await ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SETTING_KEY)
    .executeTakeFirst();
  return stored !== undefined && timingSafeEqual(given, Buffer.from(stored.value, 'hex'));
}
