/**
 * The Stripe SDK, built from the configuration: one client per `Config` (memoized), pointed at
 * Stripe's API or, with `STRIPE_API_BASE`, at stripe-mock or the test fake by host, port and
 * protocol. `null` when Stripe is not configured: top-ups are then refused and operators fund
 * wallets by hand. The API version is pinned so the shapes this code reads (and the version a
 * dashboard webhook endpoint should use) do not move under an SDK upgrade.
 */
import Stripe from 'stripe';
import type { Config } from '../config.ts';

/** The Stripe API version Tollgate speaks; set the same on the dashboard's webhook endpoint. */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** Requests are retried by the SDK (safe: every POST carries an idempotency key). */
const STRIPE_NETWORK_RETRIES_MAX = 2;
const STRIPE_REQUEST_TIMEOUT_MS = 20_000;

export type StripeClient = Stripe;

const clients = new WeakMap<Config, StripeClient>();

/** The client for this configuration, or `null` without `STRIPE_SECRET_KEY`. */
export function stripeClientFor(config: Config): StripeClient | null {
  const stripe = config.stripe;
  if (stripe === null) return null;
  const existing = clients.get(config);
  if (existing !== undefined) return existing;
  const base = stripe.api_base;
  const client = new Stripe(stripe.secret_key, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: STRIPE_NETWORK_RETRIES_MAX,
    timeout: STRIPE_REQUEST_TIMEOUT_MS,
    appInfo: { name: 'Tollgate' },
    telemetry: false,
    ...(base === null ? {} : { host: base.host, port: base.port, protocol: base.protocol }),
  });
  clients.set(config, client);
  return client;
}

/** The webhook signing secret, or `null` when Stripe is not configured. */
export function stripeWebhookSecretOf(config: Config): string | null {
  return config.stripe?.webhook_secret ?? null;
}
