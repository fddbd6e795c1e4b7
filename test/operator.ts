/**
 * Test helpers for the operator API: an operator token and its headers. Customer accounts with
 * keys and funds come from `customers.ts`.
 */
import { ensureOperatorToken } from '../src/auth/operator-token.ts';
import { type AppContext, withTransaction } from '../src/context.ts';
import { assert } from '../src/shared/assert.ts';

/** Generates the operator token (the context must have no TOLLGATE_ADMIN_TOKEN). */
export async function createOperatorToken(ctx: AppContext): Promise<string> {
  const token = await withTransaction(ctx, ensureOperatorToken);
  assert(token !== null, 'the test database has no operator token yet');
  return token;
}

export function operatorHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
