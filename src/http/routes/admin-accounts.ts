/**
 * `/admin/v1/accounts`: create a customer account (with its wallet), list accounts newest first,
 * show one with its wallet balance, set its overdraft limit (`PATCH`), and page through its
 * wallet's ledger history.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createAccount,
  getAccountWithBalance,
  listAccounts,
  setOverdraftLimit,
} from '../../accounts/accounts.ts';
import { withTransaction } from '../../context.ts';
import { listWalletHistory } from '../../wallets/history.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import { decodePageToken, pageQuerySchema, renderPage } from '../pagination.ts';
import {
  AccountIdParams,
  createAccountBodySchema,
  parseOverdraftLimit,
  renderAccount,
  renderAccountWithBalance,
  UpdateAccountBody,
} from '../schemas/accounts.ts';
import { ok } from '../schemas/envelope.ts';
import {
  AccountBody,
  AccountPage,
  AccountWithWallet,
  WalletEntryPage,
} from '../schemas/tollgate-responses.ts';
import { renderWalletEntry } from '../schemas/wallet.ts';
import type { RouteOptions } from '../server.ts';

const ACCOUNTS_PAGE_SIZE_DEFAULT = 20;
const LEDGER_PAGE_SIZE_DEFAULT = 20;

export const adminAccountRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const limits = ctx.config.limits;
  const body = createAccountBodySchema(limits.concurrent_jobs_max);
  app.post('/accounts', { schema: { body, response: ok(AccountBody) } }, async (request) => {
    const { overdraft_limit_usd, ...input } = request.body;
    const overdraft_limit_micro_usd = parseOverdraftLimit(overdraft_limit_usd);
    return idempotentWrite(ctx, request, {
      write: (tx) => createAccount(tx, { ...input, overdraft_limit_micro_usd }),
      render: (account) => ({ data: renderAccount(account) }),
    });
  });

  app.patch(
    '/accounts/:account_id',
    { schema: { params: AccountIdParams, body: UpdateAccountBody, response: ok(AccountBody) } },
    async (request) => {
      const overdraft_limit_micro_usd = parseOverdraftLimit(request.body.overdraft_limit_usd);
      const { account_id } = request.params;
      const account = await withTransaction(ctx, (tx) =>
        setOverdraftLimit(tx, { account_id, overdraft_limit_micro_usd }),
      );
      return { data: renderAccount(account) };
    },
  );

  const accountsQuery = pageQuerySchema(ACCOUNTS_PAGE_SIZE_DEFAULT, limits.page_size_max);
  app.get(
    '/accounts',
    { schema: { querystring: accountsQuery, response: ok(AccountPage) } },
    async (request) => {
      const { limit, token } = request.query;
      const rows = await listAccounts(ctx, { limit, after: decodePageToken(token) });
      return renderPage(rows, limit, renderAccount);
    },
  );

  app.get(
    '/accounts/:account_id',
    { schema: { params: AccountIdParams, response: ok(AccountWithWallet) } },
    async (request) => {
      const found = await getAccountWithBalance(ctx, request.params.account_id);
      return { data: renderAccountWithBalance(found) };
    },
  );

  const ledgerQuery = pageQuerySchema(LEDGER_PAGE_SIZE_DEFAULT, limits.page_size_max);
  app.get(
    '/accounts/:account_id/ledger',
    {
      schema: { params: AccountIdParams, querystring: ledgerQuery, response: ok(WalletEntryPage) },
    },
    async (request) => {
      const { limit, token } = request.query;
      const after = decodePageToken(token);
      const rows = await listWalletHistory(ctx, {
        account_id: request.params.account_id,
        limit,
        after,
      });
      return renderPage(rows, limit, renderWalletEntry);
    },
  );
};
