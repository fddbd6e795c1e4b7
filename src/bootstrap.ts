/**
 * What a start does before serving: migrate the database, create the operator's ledger accounts,
 * make sure an operator token exists and, on the first start of an empty database, create the
 * demo account. Every step is idempotent, so any number of starts (or nodes) may run it.
 */
import { type DemoAccount, ensureDemoAccount } from './accounts/demo.ts';
import { ensureOperatorToken } from './auth/operator-token.ts';
import { type AppContext, withTransaction } from './context.ts';
import { migrateToLatest } from './db/migrate.ts';
import { ensureOperatorAccounts } from './ledger/operator-accounts.ts';
import { formatMicroUsd } from './shared/money.ts';

export type StartReport = {
  migrations_applied: string[];
  /** The operator token in clear when it was generated now (first start), else null. */
  operator_token: string | null;
  demo: DemoAccount | null;
};

/** Migrates and creates the operator accounts: what every command needs before it touches money. */
export async function prepareDatabase(ctx: AppContext): Promise<string[]> {
  const migrations_applied = await migrateToLatest(ctx.db);
  await withTransaction(ctx, ensureOperatorAccounts);
  return migrations_applied;
}

export async function bootstrap(ctx: AppContext): Promise<StartReport> {
  const migrations_applied = await prepareDatabase(ctx);
  return withTransaction(ctx, async (tx) => ({
    migrations_applied,
    operator_token: await ensureOperatorToken(tx),
    demo: await ensureDemoAccount(tx),
  }));
}

/** The lines printed at start: where to call, and any secret made now (shown this once). */
export function renderStartBanner(report: StartReport, base_url: string): string {
  const lines = [`Tollgate is listening on ${base_url}`];
  if (report.operator_token !== null) {
    lines.push(
      '',
      'Operator token (generated now, shown once; set TOLLGATE_ADMIN_TOKEN to choose your own):',
      `  ${report.operator_token}`,
    );
  }
  if (report.demo !== null) {
    lines.push(
      '',
      `Demo account "${report.demo.account.username}" with $${formatMicroUsd(report.demo.grant_micro_usd)} of promotional credit.`,
      'Its API key (shown once):',
      `  ${report.demo.api_key}`,
      'Its user, for OAuth sign-in and the dashboard (password shown once):',
      `  email ${report.demo.user.email}  password ${report.demo.user.password}`,
      '',
      'Try it:',
      `  curl -H 'x-api-key: ${report.demo.api_key}' ${base_url}/v3/users/me`,
    );
  }
  if (report.operator_token !== null) {
    lines.push(
      `  curl -H 'Authorization: Bearer ${report.operator_token}' ${base_url}/admin/v1/accounts`,
    );
  }
  return `${lines.join('\n')}\n`;
}
