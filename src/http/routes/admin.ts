/**
 * The operator API under `/admin/v1` (registered behind the operator hook): customer accounts,
 * their API keys and users, OAuth clients, grants, adjustments and ledger history, rate cards
 * and rate overrides, web plans (catalog, subscriptions, credit packs, credit rate cards), billing
 * settings (usage-based accounts, statements), per-key spending limits and webhook deliveries. Each
 * resource lives in its own module.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../server.ts';
import { adminAccountRoutes } from './admin-accounts.ts';
import { adminAdjustmentRoutes } from './admin-adjustments.ts';
import { adminBillingRoutes } from './admin-billing.ts';
import { adminGrantRoutes } from './admin-grants.ts';
import { adminKeyRoutes } from './admin-keys.ts';
import { adminMarginRoutes } from './admin-margin.ts';
import { adminOAuthClientRoutes } from './admin-oauth-clients.ts';
import { adminPlanRoutes } from './admin-plans.ts';
import { adminRateCardRoutes } from './admin-rate-cards.ts';
import { adminReportRoutes } from './admin-reports.ts';
import { adminUserRoutes } from './admin-users.ts';
import { adminWebhookRoutes } from './admin-webhooks.ts';

export const adminRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.register(adminAccountRoutes, { ctx });
  app.register(adminKeyRoutes, { ctx });
  app.register(adminGrantRoutes, { ctx });
  app.register(adminAdjustmentRoutes, { ctx });
  app.register(adminRateCardRoutes, { ctx });
  app.register(adminReportRoutes, { ctx });
  app.register(adminPlanRoutes, { ctx });
  app.register(adminBillingRoutes, { ctx });
  app.register(adminWebhookRoutes, { ctx });
  app.register(adminMarginRoutes, { ctx });
  app.register(adminUserRoutes, { ctx });
  app.register(adminOAuthClientRoutes, { ctx });
};
