/** The database type: every table of every domain, each declared in its `*.table.ts`. */
import type { AccountsTables } from '../accounts/accounts.table.ts';
import type { AgentsTables } from '../agents/agents.table.ts';
import type { AlertsTables } from '../alerts/alerts.table.ts';
import type { DashboardTables } from '../dashboard/dashboard.table.ts';
import type { EngineTables } from '../engines/engine-jobs.table.ts';
import type { EventsTables } from '../events/events.table.ts';
import type { JobsTables } from '../jobs/jobs.table.ts';
import type { KeyLimitsTables } from '../key-limits/key-limits.table.ts';
import type { LedgerTables } from '../ledger/ledger.table.ts';
import type { OAuthTables } from '../oauth/oauth.table.ts';
import type { PaymentsTables } from '../payments/payments.table.ts';
import type { PlansTables } from '../plans/plans.table.ts';
import type { PricingTables } from '../pricing/pricing.table.ts';
import type { ReloadTables } from '../reload/reload.table.ts';
import type { UsageBasedTables } from '../usage-based/usage-based.table.ts';
import type { UsersTables } from '../users/users.table.ts';
import type { WalletsTables } from '../wallets/wallets.table.ts';
import type { WebhooksTables } from '../webhooks/webhooks.table.ts';

export type DB = LedgerTables &
  AccountsTables &
  WalletsTables &
  JobsTables &
  PricingTables &
  AgentsTables &
  EventsTables &
  PaymentsTables &
  AlertsTables &
  ReloadTables &
  PlansTables &
  UsageBasedTables &
  KeyLimitsTables &
  WebhooksTables &
  EngineTables &
  UsersTables &
  DashboardTables &
  OAuthTables;
