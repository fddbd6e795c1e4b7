/**
 * Test users: a user of a customer account with a known password, made with the domain function
 * (the password is hashed as in production, so sign-in tests exercise the real hasher).
 */
import type { AppContext } from '../src/context.ts';
import { createUser, type User } from '../src/users/users.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export type TestUser = User & { password: string };

export async function createTestUser(
  ctx: AppContext,
  account_id: string,
  options: { email?: string; password?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? TEST_PASSWORD;
  const user = await createUser(ctx, {
    account_id,
    email: options.email ?? 'ada.user@example.com',
    password,
    name: 'Ada',
  });
  return { ...user, password };
}
