/** The list of frozen migrations, in order. Add new files at the end; never edit old ones. */
import type { Migration } from 'kysely';
import * as ledger from './2026_11_25_0001_ledger.ts';
import * as accountsJobs from './2026_11_25_0002_accounts_jobs.ts';
import * as jobsOutputs from './2026_11_25_0003_jobs_outputs.ts';
import * as idempotencyOwner from './2026_12_01_0001_idempotency_owner.ts';
import * as overdraftLimit from './2026_12_01_0002_overdraft_limit.ts';
import * as jobLifecycle from './2026_12_01_0003_job_lifecycle.ts';
import * as rateCards from './2026_12_01_0004_rate_cards.ts';
import * as jobGroups from './2026_12_01_0005_job_groups.ts';
import * as videoAgents from './2026_12_01_0005_video_agents.ts';
import * as events from './2026_12_02_0000_events.ts';
import * as grantTerms from './2026_12_02_0001_grant_terms.ts';
import * as topUps from './2026_12_02_0002_top_ups.ts';
import * as autoReload from './2026_12_02_0003_auto_reload.ts';
import * as scaleIndexes from './2026_12_02_0004_scale_indexes.ts';
import * as billingPools from './2026_12_02_0005_billing_pools.ts';
import * as users from './2026_12_02_0006_users.ts';
import * as oauth from './2026_12_02_0007_oauth.ts';
import * as plans from './2026_12_02_0008_plans.ts';
import * as usageBased from './2026_12_02_0009_usage_based.ts';
import * as keyLimits from './2026_12_02_0010_key_limits.ts';
import * as engines from './2026_12_02_0011_engines.ts';
import * as webhooks from './2026_12_02_0012_webhooks.ts';
import * as dashboard from './2026_12_02_0013_dashboard.ts';
import * as requestPathIndexes from './2026_12_02_0014_request_path_indexes.ts';
import * as followups from './2026_12_02_0015_followups.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '2026_11_25_0001_ledger': ledger,
  '2026_11_25_0002_accounts_jobs': accountsJobs,
  '2026_11_25_0003_jobs_outputs': jobsOutputs,
  '2026_12_01_0001_idempotency_owner': idempotencyOwner,
  '2026_12_01_0002_overdraft_limit': overdraftLimit,
  '2026_12_01_0003_job_lifecycle': jobLifecycle,
  '2026_12_01_0004_rate_cards': rateCards,
  '2026_12_01_0005_job_groups': jobGroups,
  '2026_12_01_0005_video_agents': videoAgents,
  '2026_12_02_0000_events': events,
  '2026_12_02_0001_grant_terms': grantTerms,
  '2026_12_02_0002_top_ups': topUps,
  '2026_12_02_0003_auto_reload': autoReload,
  '2026_12_02_0004_scale_indexes': scaleIndexes,
  '2026_12_02_0005_billing_pools': billingPools,
  '2026_12_02_0006_users': users,
  '2026_12_02_0007_oauth': oauth,
  '2026_12_02_0008_plans': plans,
  '2026_12_02_0009_usage_based': usageBased,
  '2026_12_02_0010_key_limits': keyLimits,
  '2026_12_02_0011_engines': engines,
  '2026_12_02_0012_webhooks': webhooks,
  '2026_12_02_0013_dashboard': dashboard,
  '2026_12_02_0014_request_path_indexes': requestPathIndexes,
  '2026_12_02_0015_followups': followups,
};
