/**
 * Test helpers for operator rate cards: a full card body (the default card's rows, with some
 * rates changed) as `POST /admin/v1/rate-cards` takes it, and calls of the rate-card routes.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEFAULT_RAW_RATE_CARD } from '../src/pricing/default-card.ts';

export type RateCardBody = {
  version: string;
  effective_at?: string | null;
  rows: Record<string, unknown>[];
};

/** The default card's rows as JSON, with `rates` (sku → decimal string) replacing some rates. */
export function fullCardBody(
  version: string,
  rates: Record<string, string> = {},
  effective_at_ms: bigint | null = null,
): RateCardBody {
  const rows = DEFAULT_RAW_RATE_CARD.rows.map((row) => ({
    sku: row.sku,
    unit: row.unit,
    rate_usd: rates[row.sku] ?? row.rate_usd,
    ...(row.enterprise_only ? { enterprise_only: true } : {}),
    ...(row.existing_customers_only ? { existing_customers_only: true } : {}),
  }));
  const effective_at =
    effective_at_ms === null ? null : new Date(Number(effective_at_ms)).toISOString();
  return { version, effective_at, rows };
}

export function postRateCard(
  app: FastifyInstance,
  headers: Record<string, string>,
  body: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/admin/v1/rate-cards',
    headers,
    payload: body as object,
  });
}

export function putRateOverride(
  app: FastifyInstance,
  headers: Record<string, string>,
  account_id: string,
  body: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'PUT',
    url: `/admin/v1/accounts/${account_id}/rate-overrides`,
    headers,
    payload: body as object,
  });
}
