/**
 * One gateway per test for the HTTP tests: `useServer(dialect, options)` registers the
 * `beforeEach` that builds a fresh test context, an operator token and a customer `ada` when asked
 * for, and `buildServer(ctx)`, and the `afterEach` that closes the server and the context. The
 * returned fixture's fields are set before each test; reading one outside a test, or one that was
 * not asked for, throws instead of giving `undefined`.
 */
import { afterEach, beforeEach } from 'vitest';
import { buildServer } from '../src/http/server.ts';
import { type Customer, type CustomerOptions, createCustomer } from './customers.ts';
import {
  createTestContext,
  type TestContext,
  type TestContextOptions,
  type TestDialect,
} from './harness.ts';
import { createOperatorToken, operatorHeaders } from './operator.ts';

export type TestServer = ReturnType<typeof buildServer>;

export type ServerFixtureOptions = TestContextOptions & {
  /** Creates the customer `ada` with these options (after the operator token, if any). */
  customer?: CustomerOptions;
  /** Generates the operator token; its headers are `operator`. */
  operator?: boolean;
};

export type ServerFixture = {
  readonly ctx: TestContext;
  readonly app: TestServer;
  readonly ada: Customer;
  /** `authorization` headers for `/admin/v1`. */
  readonly operator: Record<string, string>;
  /** The `wallet` object of `GET /v3/users/me` for `customer` (default `ada`). */
  wallet: (customer?: Customer) => Promise<Record<string, unknown>>;
};

type Filled = {
  ctx: TestContext;
  app: TestServer;
  ada?: Customer;
  operator?: Record<string, string>;
};

export function useServer(dialect: TestDialect, options: ServerFixtureOptions = {}): ServerFixture {
  let filled: Filled | undefined;
  const current = (): Filled => {
    if (filled === undefined) throw new Error('useServer: the fixture is only set inside a test');
    return filled;
  };
  const { customer, operator, ...contextOptions } = options;

  beforeEach(async () => {
    const ctx = await createTestContext(dialect, contextOptions);
    const next: Filled = { ctx, app: buildServer(ctx) };
    filled = next;
    if (operator === true) next.operator = operatorHeaders(await createOperatorToken(ctx));
    if (customer !== undefined) next.ada = await createCustomer(ctx, customer);
  });
  afterEach(async () => {
    if (filled === undefined) return;
    const { ctx, app } = filled;
    filled = undefined;
    await app.close();
    await ctx.close();
  });

  const fixture: ServerFixture = {
    get ctx() {
      return current().ctx;
    },
    get app() {
      return current().app;
    },
    get ada() {
      const { ada } = current();
      if (ada === undefined) throw new Error('useServer: pass `customer` to create ada');
      return ada;
    },
    get operator() {
      const headers = current().operator;
      if (headers === undefined)
        throw new Error('useServer: pass `operator: true` for its headers');
      return headers;
    },
    wallet: async (customer = fixture.ada) => {
      const res = await fixture.app.inject({
        method: 'GET',
        url: '/v3/users/me',
        headers: customer.headers,
      });
      return res.json().data.wallet;
    },
  };
  return fixture;
}
