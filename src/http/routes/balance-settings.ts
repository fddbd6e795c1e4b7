/**
 * The customer's balance settings: `GET`/`PATCH /billing/v1/auto-reload` (`enabled`,
 * `threshold_usd`, `amount_usd`, `daily_cap_usd`; a partial update) and `GET`/`PATCH
 * /billing/v1/alerts` (`low_balance_threshold_usd`, null turns the alert off). A bad value is a
 * 400 naming its param; enabling auto-reload without a card saved at a Checkout top-up is a 400
 * `payment_method_required` naming `enabled`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getLowBalanceAlert, setLowBalanceThreshold } from '../../alerts/low-balance.ts';
import { getAutoReloadSettings, updateAutoReload } from '../../reload/settings.ts';
import { accountIdOf } from '../auth-hook.ts';
import { idempotentWrite } from '../idempotent-write.ts';
import {
  nullableUsdParam,
  renderAlerts,
  renderAutoReload,
  UpdateAlertsBody,
  UpdateAutoReloadBody,
  usdParam,
} from '../schemas/balance-settings.ts';
import { ok } from '../schemas/envelope.ts';
import { AlertsBody, AutoReloadBody } from '../schemas/tollgate-responses.ts';
import type { RouteOptions } from '../server.ts';

export const balanceSettingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (
  app,
  { ctx },
) => {
  app.get(
    '/billing/v1/auto-reload',
    { schema: { response: ok(AutoReloadBody) } },
    async (request) => {
      const settings = await getAutoReloadSettings(ctx.db, accountIdOf(request));
      return { data: renderAutoReload(settings) };
    },
  );

  app.patch(
    '/billing/v1/auto-reload',
    { schema: { body: UpdateAutoReloadBody, response: ok(AutoReloadBody) } },
    (request) => {
      const body = request.body;
      const patch = {
        enabled: body.enabled,
        threshold_micro_usd: optional(body.threshold_usd, (v) => usdParam(v, 'threshold_usd')),
        amount_micro_usd: optional(body.amount_usd, (v) => usdParam(v, 'amount_usd')),
        daily_cap_micro_usd: optional(body.daily_cap_usd, (v) =>
          nullableUsdParam(v, 'daily_cap_usd'),
        ),
      };
      const input = { account_id: accountIdOf(request), patch };
      return idempotentWrite(ctx, request, {
        write: (tx) => updateAutoReload(tx, input),
        render: (settings) => ({ data: renderAutoReload(settings) }),
      });
    },
  );

  app.get('/billing/v1/alerts', { schema: { response: ok(AlertsBody) } }, async (request) => {
    return { data: renderAlerts(await getLowBalanceAlert(ctx.db, accountIdOf(request))) };
  });

  app.patch(
    '/billing/v1/alerts',
    { schema: { body: UpdateAlertsBody, response: ok(AlertsBody) } },
    (request) => {
      const threshold_micro_usd = nullableUsdParam(
        request.body.low_balance_threshold_usd,
        'low_balance_threshold_usd',
      );
      const input = { account_id: accountIdOf(request), threshold_micro_usd };
      return idempotentWrite(ctx, request, {
        write: (tx) => setLowBalanceThreshold(tx, input),
        render: (alert) => ({ data: renderAlerts(alert) }),
      });
    },
  );
};

function optional<T, R>(value: T | undefined, parse: (value: T) => R): R | undefined {
  return value === undefined ? undefined : parse(value);
}
