/**
 * Per-test fixtures for the tests that run on every dialect. `useTestContext(dialect, options)`
 * registers the `beforeEach` that builds a fresh test context and the `afterEach` that closes it.
 * `useServer(dialect, options)` does the same and also builds an operator token and a customer
 * `ada` when asked for, and `buildServer(ctx)`, closing the server before the context. The
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

export type TestContextFixture = { readonly ctx: TestContext };

/**
 * Holds one value per test in `owner`'s fixture: the `beforeEach` creates the context, `open`s the
 * value from it synchronously and `fill`s the rest; the `afterEach` runs `close` (what `open`
 * opened) and closes the context even when `fill` failed half-way.
 */
function perTest<T extends { ctx: TestContext }>(
  owner: string,
  dialect: TestDialect,
  options: TestContextOptions,
  open: (ctx: TestContext) => T,
  fill: (value: T) => Promise<void> = async () => {},
  close: (value: T) => Promise<void> = async () => {},
): () => T {
  let held: T | undefined;
  beforeEach(async () => {
    const value = open(await createTestContext(dialect, options));
    held = value;
    await fill(value);
  });
  afterEach(async () => {
    if (held === undefined) return;
    const value = held;
    held = undefined;
    await close(value);
    await value.ctx.close();
  });
  return () => {
    if (held === undefined) throw new Error(`${owner}: the fixture is only set inside a test`);
    return held;
  };
}

export function useTestContext(
  dialect: TestDialect,
  options: TestContextOptions = {},
): TestContextFixture {
  const current = perTest('useTestContext', dialect, options, (ctx) => ({ ctx }));
  return {
    get ctx() {
      return current().ctx;
    },
  };
}

export function useServer(dialect: TestDialect, options: ServerFixtureOptions = {}): ServerFixture {
  const { customer, operator, ...contextOptions } = options;
  const current = perTest<Filled>(
    'useServer',
    dialect,
    contextOptions,
    (ctx) => ({ ctx, app: buildServer(ctx) }),
    async (next) => {
      if (operator === true) next.operator = operatorHeaders(await createOperatorToken(next.ctx));
      if (customer !== undefined) next.ada = await createCustomer(next.ctx, customer);
    },
    async ({ app }) => {
      await app.close();
    },
  );

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
